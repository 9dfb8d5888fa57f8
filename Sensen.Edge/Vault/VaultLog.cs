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

    [LoggerMessage(EventId = 5007, Level = LogLevel.Critical, Message = "Vault database {Path} is corrupt; moved aside to {MovedTo}")]
    public static partial void MovedAside(this ILogger logger, string path, string movedTo);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Storage epoch {Epoch} has no records left; its key was destroyed")]
    public static partial void EpochDestroyed(this ILogger logger, long epoch);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Retention: {Count} expired item(s) deleted")]
    public static partial void Purged(this ILogger logger, int count);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Error, Message = "Audit log append failed")]
    public static partial void AuditFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Removed LiteDB rebuild leftover {Path}")]
    public static partial void RemovedLeftover(this ILogger logger, string path);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Ack for {EvidenceId} refused ({Reason}): {Detail}; nothing was deleted")]
    public static partial void AckRefused(this ILogger logger, string evidenceId, string reason, string detail);
}
