using System.Globalization;

namespace Sensen.Edge.Receiver;

/// <summary>How the device cut an item for transport, from the message's user properties.</summary>
internal sealed record TransportInfo(long SealedBytes, int ChunkBytes, int Count)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SealedBytes} {ChunkBytes} {Count}");

    public static TransportInfo? TryParse(string? text)
    {
        var parts = text?.Split(' ');
        return parts is { Length: 3 }
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sealedBytes)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var chunkBytes)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? new TransportInfo(sealedBytes, chunkBytes, count)
            : null;
    }
}
