namespace Sensen.Edge.Vault;

/// <summary>What <see cref="EvidenceVault.Acknowledge"/> did with a verified ack.</summary>
internal enum AckResult
{
    /// <summary>The hash matched; the item and its epoch share are gone.</summary>
    Deleted,

    /// <summary>No such item (already deleted: a repeated ack is harmless).</summary>
    Unknown,

    /// <summary>The ack names a different sealed hash; nothing was deleted.</summary>
    HashMismatch,

    /// <summary>The item was never sent (still <c>sealed</c>) or is not waiting for an ack; nothing was deleted.</summary>
    NotAwaitingAck,

    /// <summary>A <c>missing</c> ack asks for chunks again; it never deletes.</summary>
    NotAReceipt,
}
