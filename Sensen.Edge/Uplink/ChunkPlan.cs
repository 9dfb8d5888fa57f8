namespace Sensen.Edge.Uplink;

/// <summary>
/// How one sealed blob is cut into transport chunks: chunk <c>i</c> is bytes <c>[i·size, (i+1)·size)</c>,
/// the last one shorter. Independent of the vault's own 64 KiB sealing chunks (docs/PROTOCOL.md, "Chunks").
/// </summary>
internal readonly record struct ChunkPlan(long SealedBytes, int ChunkBytes)
{
    /// <summary>Smallest chunk the device sends; a broker that cannot take this plus the headers is refused.</summary>
    public const int MinimumChunkBytes = 1024;

    public int Count => (int)((SealedBytes + ChunkBytes - 1) / ChunkBytes);

    public long Offset(int index) => (long)index * ChunkBytes;

    public int Length(int index) => (int)Math.Min(ChunkBytes, SealedBytes - Offset(index));

    /// <summary>
    /// The configured chunk size, lowered so that a chunk's PUBLISH fits the broker's Maximum Packet Size
    /// (CONNACK property, MQTT 5 §3.2.2.3.6; absent or 0 means no limit). Null when even the minimum does not fit.
    /// </summary>
    public static int? EffectiveChunkBytes(int configured, uint? brokerMaximumPacket)
    {
        if (brokerMaximumPacket is null or 0)
        {
            return configured;
        }

        var room = (long)brokerMaximumPacket.Value - UplinkProtocol.ChunkOverheadBytes;
        return room < MinimumChunkBytes ? null : (int)Math.Min(configured, room);
    }
}
