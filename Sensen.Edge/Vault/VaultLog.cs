using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Vault;

/// <summary>The vault's log lines: ids, states and reasons only, never manifest content.</summary>
internal static partial class VaultLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Vault open: {Path}, {Count} item(s), {Bytes} sealed byte(s)")]
    public static partial void Opened(this ILogger logger, string path, int count, long bytes);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Evidence {EvidenceId} sealed ({Bytes} bytes, {Chunks} chunk(s))")]
    public static partial void Sealed(this ILogger logger, string evidenceId, long bytes, int chunks);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "ALARM vault full: evidence rejected ({Reason}); {Used} of {Quota} bytes used")]
    public static partial void Rejected(this ILogger logger, string reason, long used, long quota);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Evidence {EvidenceId} evicted to make room (quota policy evict_oldest)")]
    public static partial void Evicted(this ILogger logger, string evidenceId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Verified ack for {EvidenceId} refused ({Reason}); nothing was deleted")]
    public static partial void AckNotApplied(this ILogger logger, string evidenceId, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "Vault storage failure during {Operation}; the database was reopened from its last durable state")]
    public static partial void StorageFailure(this ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Critical, Message = "Vault database {Path} quarantined in {Quarantine} with copies of its epoch keys ({Why}); nothing deleted")]
    public static partial void MovedAside(this ILogger logger, string path, string quarantine, string why);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Storage epoch {Epoch} has no records left; its key was destroyed")]
    public static partial void EpochDestroyed(this ILogger logger, long epoch);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Retention: {Count} expired item(s) deleted")]
    public static partial void Purged(this ILogger logger, int count);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Error, Message = "Audit log append failed")]
    public static partial void AuditFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Critical, Message = "Vault database {Path} has proven corruption; quarantining and salvaging it")]
    public static partial void CorruptionFound(this ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Critical, Message = "Salvage of {Path}: {Kept} item(s) kept, {Lost} lost (unreadable or failing verification; still in {Quarantine})")]
    public static partial void Salvaged(this ILogger logger, string path, int kept, int lost, string quarantine);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Error, Message = "Salvage: evidence {EvidenceId} does not verify ({Reason}); it stays in the quarantine only")]
    public static partial void SalvageLost(this ILogger logger, string evidenceId, string reason);

    [LoggerMessage(EventId = 5016, Level = LogLevel.Error, Message = "Salvage: {Path} cannot be opened at all ({Reason})")]
    public static partial void SalvageUnreadable(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 5017, Level = LogLevel.Warning, Message = "Salvage: the scan of collection {Collection} broke on a damaged page ({Reason}); continuing with what was read")]
    public static partial void SalvageScanBroken(this ILogger logger, string collection, string reason);

    [LoggerMessage(EventId = 5018, Level = LogLevel.Warning, Message = "Vault log held a transaction that never completed (torn or cut off); dropped it from {Path}")]
    public static partial void UncommittedLogDropped(this ILogger logger, string path);

    [LoggerMessage(EventId = 5019, Level = LogLevel.Error, Message = "ALARM retention: {Count} item(s) past retention kept, because the clock is not trusted ({Reason})")]
    public static partial void RetentionDeferred(this ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning, Message = "Epoch key sweep skipped: {Blocker}")]
    public static partial void SweepSkipped(this ILogger logger, string blocker);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Error, Message = "ALARM retention: the vault's clock record fails its integrity check; the elapsed-time account starts again (evidence is kept longer)")]
    public static partial void ClockRecordInvalid(this ILogger logger);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Warning, Message = "ALARM retention: {Hours:0.#} hour(s) since the vault last ran are not credited to retention (clock not synchronised, or the gap exceeds 7 days)")]
    public static partial void ClockGapNotCredited(this ILogger logger, double hours);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Ack for {EvidenceId} refused ({Reason}): {Detail}; nothing was deleted")]
    public static partial void AckRefused(this ILogger logger, string evidenceId, string reason, string detail);
}
