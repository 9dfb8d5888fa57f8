using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Rules;

/// <summary>
/// The consumer of <see cref="ViolationChannel"/> until Recording exists: each event is logged once at
/// warning level with every field (structured, so the journal can be queried by rule or camera). Recording
/// replaces this service and reads the same channel.
/// </summary>
internal sealed partial class ViolationLogService : BackgroundService
{
    private readonly ViolationChannel _channel;
    private readonly ILogger<ViolationLogService> _logger;

    public ViolationLogService(ViolationChannel channel, ILogger<ViolationLogService> logger)
    {
        _channel = channel;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs until the tracking stage completes the channel, so every event raised is logged.
        await foreach (var e in _channel.Reader.ReadAllAsync(CancellationToken.None))
        {
            LogViolation(e.RuleId, e.Kind, e.CameraId, e.TrackId, e.Class, e.WindowStart, e.WindowEnd, e.Confidence,
                e.DwellSeconds, e.SpeedKmh, e.SpeedUncertaintyKmh, e.Signal, e.RedSeconds, e.WrongWayTravel, e.Boxes.Count);
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Violation: rule {Rule} ({Kind}) camera {Camera} track {Track} {Class} from {WindowStart:O} to {WindowEnd:O} confidence {Confidence:0.00} dwell {DwellSeconds} s speed {SpeedKmh} ± {SpeedUncertaintyKmh} km/h signal {Signal} red for {RedSeconds} s wrong-way travel {WrongWayTravel}; {Boxes} boxes. Not recorded: there is no recording stage in this build")]
    private partial void LogViolation(string rule, RuleKind kind, string camera, long track, Detection.ObjectClass @class, DateTimeOffset windowStart, DateTimeOffset windowEnd,
        double confidence, double? dwellSeconds, double? speedKmh, double? speedUncertaintyKmh, SignalPhase? signal, double? redSeconds, double? wrongWayTravel, int boxes);
}
