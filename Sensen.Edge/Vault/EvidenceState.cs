namespace Sensen.Edge.Vault;

/// <summary>Where an evidence item is in its life. Deleted items leave the store; only the audit log remembers them.</summary>
internal enum EvidenceState
{
    Sealed,
    Sending,
    AwaitingAck,
    Expired,
    Deleted,
}
