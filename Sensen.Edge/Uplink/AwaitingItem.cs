namespace Sensen.Edge.Uplink;

/// <summary>An item whose chunks all went out and that waits for the city's ack; the device asks again when <see cref="ProbeDue"/> passes.</summary>
internal sealed class AwaitingItem
{
    public AwaitingItem(string evidenceId, string sealedSha256, long sealedBytes, DateTimeOffset probeDue)
    {
        EvidenceId = evidenceId;
        SealedSha256 = sealedSha256;
        SealedBytes = sealedBytes;
        ProbeDue = probeDue;
    }

    public string EvidenceId { get; }

    public string SealedSha256 { get; }

    public long SealedBytes { get; }

    public DateTimeOffset ProbeDue { get; set; }

    /// <summary>The newest <c>issued_at</c> of a verified ack for this item: an older or equal one is a replay.</summary>
    public DateTimeOffset? LastAckIssuedAt { get; set; }
}
