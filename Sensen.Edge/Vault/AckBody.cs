namespace Sensen.Edge.Vault;

/// <summary>The JWS payload of an ack (docs/PROTOCOL.md, Acknowledgements): canonical JSON, no other members.</summary>
internal sealed record AckBody
{
    public required string Format { get; init; }

    /// <summary><c>received</c> or <c>missing</c>.</summary>
    public required string Type { get; init; }

    public required string DeviceId { get; init; }

    public required string EvidenceId { get; init; }

    public required string SealedSha256 { get; init; }

    /// <summary>UTC, the manifest's 28-character timestamp form.</summary>
    public required string IssuedAt { get; init; }

    /// <summary>For <c>missing</c> only: sorted, distinct, non-negative transport chunk indices.</summary>
    public IReadOnlyList<int>? MissingChunks { get; init; }
}
