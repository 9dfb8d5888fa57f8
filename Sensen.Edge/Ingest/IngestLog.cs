using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Ingest;

/// <summary>The ingest stage's log messages. URLs in them are always redacted (<see cref="CameraUrl.Display"/>).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "camera {Camera}: decoding {Url} with {Decoder}")]
    public static partial void DecoderChosen(this ILogger logger, string camera, string url, DecoderChoice decoder);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "camera {Camera}: hardware decoding unavailable, decoding in software: {Reason}")]
    public static partial void HardwareFallback(this ILogger logger, string camera, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "camera {Camera}: streaming {Stream} as {Width}x{Height} at {Fps} fps")]
    public static partial void Streaming(this ILogger logger, string camera, string stream, int width, int height, string fps);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "camera {Camera}: {Kind}: {Detail}; next attempt in {Delay:0.0} s")]
    public static partial void RunFailed(this ILogger logger, string camera, DiagnosticKind kind, string detail, double delay);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "camera {Camera}: no frame for {Seconds:0.0} s; restarting the decoder")]
    public static partial void Stalled(this ILogger logger, string camera, double seconds);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "camera {Camera}: corrupt video from the camera (decoder: {Line}); counting further errors silently in this run")]
    public static partial void CorruptStream(this ILogger logger, string camera, string line);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "camera {Camera}: {Detail}; frames keep the analysis size")]
    public static partial void ResolutionChanged(this ILogger logger, string camera, string detail);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "camera {Camera}: replay file ended")]
    public static partial void ReplayFinished(this ILogger logger, string camera);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "camera {Camera}: stream ended after {Seconds:0} s of healthy streaming ({Detail}); reconnecting now")]
    public static partial void HealthyRunEnded(this ILogger logger, string camera, double seconds, string detail);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "camera {Camera}: supervisor failed ({Crash} of {Limit} restarts in a row); restarting it in {Delay:0.0} s")]
    public static partial void SupervisorCrashed(this ILogger logger, string camera, int crash, int limit, double delay, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Critical, Message = "camera {Camera}: supervisor failed {Crashes} times in a row; stopping the daemon so that systemd restarts it")]
    public static partial void SupervisorGaveUp(this ILogger logger, string camera, int crashes, Exception exception);
}
