using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Uplink;

/// <summary>The uplink's log messages (event ids 7100–7199).</summary>
internal static partial class UplinkLog
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Warning, Message = "ALARM uplink: plaintext MQTT to {Broker} (uplink.allow_insecure is true); evidence is sealed, but transport and acks travel unprotected. Development benches only")]
    public static partial void InsecureTransport(this ILogger logger, string broker);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Evidence {EvidenceId} sent: {ChunkCount} chunks of {ChunkBytes} bytes ({SealedBytes} bytes); waiting for the city's ack")]
    public static partial void Sent(this ILogger logger, string evidenceId, int chunkCount, int chunkBytes, long sealedBytes);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Sending evidence {EvidenceId} failed: {Reason}; it stays queued")]
    public static partial void SendFailed(this ILogger logger, string evidenceId, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "Evidence {EvidenceId} acknowledged by the city (key {KeyId}) and deleted")]
    public static partial void Delivered(this ILogger logger, string evidenceId, string keyId);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Ack refused ({Reason}): {Detail}; nothing deleted")]
    public static partial void AckRefused(this ILogger logger, string reason, string detail);

    // Debug: the vault logs and audits its own refusals once per item; this is the uplink's view of the same.
    [LoggerMessage(EventId = 7105, Level = LogLevel.Debug, Message = "Verified ack for {EvidenceId} not applied: {Result}")]
    public static partial void AckNotApplied(this ILogger logger, string evidenceId, string result);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Information, Message = "The city misses {Count} chunks of {EvidenceId}; re-sending them")]
    public static partial void ResendingMissing(this ILogger logger, string evidenceId, int count);

    [LoggerMessage(EventId = 7107, Level = LogLevel.Information, Message = "No ack for {EvidenceId} yet; asking the city again (manifest re-sent)")]
    public static partial void Probing(this ILogger logger, string evidenceId);

    [LoggerMessage(EventId = 7108, Level = LogLevel.Error, Message = "The broker's maximum packet size ({MaximumPacket} bytes) leaves no room for a chunk; nothing can be sent until it is raised")]
    public static partial void PacketLimitTooSmall(this ILogger logger, uint maximumPacket);

    [LoggerMessage(EventId = 7109, Level = LogLevel.Error, Message = "Subscribing to the ack topic {Topic} failed: {Reason}")]
    public static partial void AckSubscribeFailed(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 7110, Level = LogLevel.Error, Message = "ALARM uplink cannot start: {Reason}; evidence stays in the vault, retrying in a minute")]
    public static partial void CannotStart(this ILogger logger, string reason);

    [LoggerMessage(EventId = 7111, Level = LogLevel.Warning, Message = "Vault operation failed in the uplink: {Reason}; retrying")]
    public static partial void VaultFailed(this ILogger logger, string reason);
}
