namespace Sensen.Edge.Vault;

/// <summary>The outcome of <see cref="AckVerifier.Verify"/>: a <see cref="VerifiedAck"/>, or a refusal with its reason.</summary>
internal sealed class AckVerification
{
    private AckVerification(VerifiedAck? ack, AckRefusal? refusal, string message, string? evidenceId)
    {
        Ack = ack;
        Refusal = refusal;
        Message = message;
        EvidenceId = evidenceId;
    }

    /// <summary>Set when the ack verified; null for a refusal.</summary>
    public VerifiedAck? Ack { get; }

    /// <summary>Set for a refusal; null when verified.</summary>
    public AckRefusal? Refusal { get; }

    public bool IsVerified => Ack is not null;

    /// <summary>For an operator: never more of the untrusted message than a well-formed evidence id.</summary>
    public string Message { get; }

    /// <summary>The evidence id the message claims, when it is a well-formed lower-case UUID (refusals included), else null.</summary>
    public string? EvidenceId { get; }

    internal static AckVerification Verified(VerifiedAck ack) => new(ack, null, $"ack for {ack.EvidenceId} verified", ack.EvidenceId);

    internal static AckVerification Refused(AckRefusal refusal, string message, string? evidenceId = null) => new(null, refusal, message, evidenceId);
}
