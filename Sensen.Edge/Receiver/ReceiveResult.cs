namespace Sensen.Edge.Receiver;

/// <summary>The outcome of one evidence message at the receiver.</summary>
internal sealed record ReceiveResult(ReceiveOutcomeKind Kind, string? EvidenceId = null, string? SealedSha256 = null, IReadOnlyList<int>? MissingChunks = null, string? Reason = null)
{
    public static ReceiveResult Pending { get; } = new(ReceiveOutcomeKind.Pending);

    public static ReceiveResult Rejected(string reason) => new(ReceiveOutcomeKind.Rejected, Reason: reason);
}
