namespace Sensen.Edge.Vault;

/// <summary>The clip's sizes and hashes, before and after sealing.</summary>
internal sealed record ManifestClip
{
    public required string PlaintextSha256 { get; init; }

    public required long PlaintextBytes { get; init; }

    public required string SealedSha256 { get; init; }

    public required long SealedBytes { get; init; }

    public required int ChunkBytes { get; init; }

    public required int ChunkCount { get; init; }
}
