namespace Sensen.Edge.Vault;

internal enum QuotaPolicy
{
    /// <summary>Refuse new evidence and raise an alarm; nothing already kept is lost.</summary>
    RejectNew,

    /// <summary>Drop the oldest evidence that is not on legal hold.</summary>
    EvictOldest,
}
