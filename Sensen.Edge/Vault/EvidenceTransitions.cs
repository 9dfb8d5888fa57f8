namespace Sensen.Edge.Vault;

/// <summary>
/// The allowed moves of the evidence state machine:
/// sealed → sending → awaiting_ack → deleted (on a matching ack); sending/awaiting_ack → sealed (send failed,
/// ack timed out); any live state → expired (retention passed) → deleted; any live state → deleted (a matching
/// ack, or quota eviction). Nothing leaves deleted.
/// </summary>
internal static class EvidenceTransitions
{
    public static bool IsAllowed(EvidenceState from, EvidenceState to) => (from, to) switch
    {
        (EvidenceState.Sealed, EvidenceState.Sending) => true,
        (EvidenceState.Sending, EvidenceState.AwaitingAck) => true,
        (EvidenceState.Sending or EvidenceState.AwaitingAck, EvidenceState.Sealed) => true,
        (EvidenceState.Sealed or EvidenceState.Sending or EvidenceState.AwaitingAck, EvidenceState.Expired) => true,
        (not EvidenceState.Deleted, EvidenceState.Deleted) => true,
        _ => false,
    };

    /// <summary>The name used in the store, the audit log and the verbs' output.</summary>
    public static string Name(EvidenceState state) => state switch
    {
        EvidenceState.Sealed => "sealed",
        EvidenceState.Sending => "sending",
        EvidenceState.AwaitingAck => "awaiting_ack",
        EvidenceState.Expired => "expired",
        _ => "deleted",
    };

    public static EvidenceState Parse(string name) => name switch
    {
        "sealed" => EvidenceState.Sealed,
        "sending" => EvidenceState.Sending,
        "awaiting_ack" => EvidenceState.AwaitingAck,
        "expired" => EvidenceState.Expired,
        "deleted" => EvidenceState.Deleted,
        _ => throw new FormatException($"unknown evidence state '{name}'"),
    };
}
