namespace Sensen.Edge.Vault;

/// <summary>
/// One line of the audit log. Ids, states, hashes and reasons chosen from a fixed vocabulary only:
/// never camera names, places, times of the event, plates or free text typed by an operator.
/// </summary>
internal sealed record AuditEntry
{
    public required string Time { get; init; }

    public required string Event { get; init; }

    public string? EvidenceId { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Reason { get; init; }

    public string? SealedSha256 { get; init; }

    public long? Epoch { get; init; }

    public string? Detail { get; init; }
}
