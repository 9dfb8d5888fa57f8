using Sensen.Edge.Vault;

namespace Sensen.Edge.Uplink;

/// <summary>
/// Reads any byte range of an item's sealed blob from the vault, which stores it as sealed 64 KiB chunks
/// (65 552 bytes each but the last). Keeps the last vault chunk it read, so consecutive transport chunks
/// cost one vault read each; never holds more than one vault chunk.
/// </summary>
internal sealed class SealedBlobReader
{
    private const int StoredChunkBytes = SealingFormat.ChunkBytes + SealingFormat.TagBytes;

    private readonly EvidenceVault _vault;
    private readonly string _evidenceId;
    private int _cachedIndex = -1;
    private byte[] _cached = [];

    public SealedBlobReader(EvidenceVault vault, string evidenceId)
    {
        _vault = vault;
        _evidenceId = evidenceId;
    }

    public byte[] Read(long offset, int length)
    {
        var result = new byte[length];
        var written = 0;
        while (written < length)
        {
            var position = offset + written;
            var index = (int)(position / StoredChunkBytes);
            if (index != _cachedIndex)
            {
                _cached = _vault.ReadSealedChunk(_evidenceId, index);
                _cachedIndex = index;
            }

            var within = (int)(position - ((long)index * StoredChunkBytes));
            var take = Math.Min(length - written, _cached.Length - within);
            if (take <= 0)
            {
                throw new InvalidOperationException($"sealed blob of {_evidenceId} ends before offset {position}");
            }

            _cached.AsSpan(within, take).CopyTo(result.AsSpan(written));
            written += take;
        }

        return result;
    }
}
