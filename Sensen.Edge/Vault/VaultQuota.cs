namespace Sensen.Edge.Vault;

/// <summary>
/// The vault's byte budget (docs/VAULT.md, Quota and disk full). Pure: it decides, from the live records, whether a
/// new clip fits and which items <c>evict_oldest</c> would remove, before anything is removed. A clip that cannot
/// fit even after every evictable item went is refused with nothing evicted.
/// </summary>
internal sealed class VaultQuota
{
    private readonly long _quotaBytes;
    private readonly QuotaPolicy _policy;

    public VaultQuota(long quotaBytes, QuotaPolicy policy)
    {
        _quotaBytes = quotaBytes;
        _policy = policy;
    }

    /// <summary>The items to evict (oldest first) so that <paramref name="size"/> more bytes fit; null when it cannot fit under the policy.</summary>
    public IReadOnlyList<EvidenceRecord>? Plan(IReadOnlyList<EvidenceRecord> liveOldestFirst, long size)
    {
        var used = liveOldestFirst.Sum(r => r.SealedBytes);
        if (used + size <= _quotaBytes)
        {
            return [];
        }

        if (_policy != QuotaPolicy.EvictOldest || size > _quotaBytes)
        {
            return null;
        }

        var evict = new List<EvidenceRecord>();
        foreach (var record in liveOldestFirst.Where(r => !r.LegalHold))
        {
            evict.Add(record);
            used -= record.SealedBytes;
            if (used + size <= _quotaBytes)
            {
                return evict;
            }
        }

        return null;
    }

    public string RefusalMessage(long used, long size) =>
        $"vault quota of {_quotaBytes} bytes is full ({used} used, {size} needed, policy {(_policy == QuotaPolicy.RejectNew ? "reject_new" : "evict_oldest; the rest is on legal hold")}); the new evidence was not stored";
}
