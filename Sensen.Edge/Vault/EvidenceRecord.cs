namespace Sensen.Edge.Vault;

/// <summary>What the queue knows about one item, without its content. The verbs print this.</summary>
internal sealed record EvidenceRecord
{
    public required string Id { get; init; }

    public required EvidenceState State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required long SealedBytes { get; init; }

    public required string SealedSha256 { get; init; }

    public required int ChunkCount { get; init; }

    /// <summary>The storage-key epoch its stored bytes are encrypted under.</summary>
    public required long Epoch { get; init; }

    public required bool LegalHold { get; init; }

    /// <summary>The vault's observed running time when this item was sealed (docs/VAULT.md, Retention).</summary>
    public TimeSpan SealedElapsed { get; init; }
}
