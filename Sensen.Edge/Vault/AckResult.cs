namespace Sensen.Edge.Vault;

/// <summary>What an acknowledgement did.</summary>
internal enum AckResult
{
    /// <summary>The hash matched; the item and its epoch share are gone.</summary>
    Deleted,

    /// <summary>No such item (already deleted: a repeated ack is harmless).</summary>
    Unknown,

    /// <summary>The ack names a different sealed hash; nothing was deleted.</summary>
    HashMismatch,
}
