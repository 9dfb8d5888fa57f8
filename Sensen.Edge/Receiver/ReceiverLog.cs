using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Receiver;

/// <summary>The reference receiver's log messages (event ids 7500–7599).</summary>
internal static partial class ReceiverLog
{
    [LoggerMessage(EventId = 7500, Level = LogLevel.Information, Message = "Subscribed to {Filter}")]
    public static partial void Subscribed(ILogger logger, string filter);

    [LoggerMessage(EventId = 7501, Level = LogLevel.Information, Message = "Evidence {EvidenceId} from {Device} verified, decrypted and stored; acknowledging")]
    public static partial void Stored(ILogger logger, string device, string evidenceId);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Information, Message = "Evidence {EvidenceId} from {Device} misses {Count} chunks; asking for them")]
    public static partial void Missing(ILogger logger, string device, string evidenceId, int count);

    [LoggerMessage(EventId = 7503, Level = LogLevel.Warning, Message = "Message on {Topic} refused: {Reason}")]
    public static partial void Rejected(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 7504, Level = LogLevel.Error, Message = "Could not store the message on {Topic}: {Reason}; the item stays incomplete and the device is asked for the part again")]
    public static partial void StoreFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 7505, Level = LogLevel.Warning, Message = "Publishing the ack to {Topic} failed: {Reason}; retrying")]
    public static partial void AckPublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 7506, Level = LogLevel.Error, Message = "The broker refused the ack on {Topic}: {Reason}")]
    public static partial void AckRefusedByBroker(ILogger logger, string topic, string reason);
}
