using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Rules;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Recording;

/// <summary>
/// Reads every violation event (<see cref="ViolationChannel"/>), logs it once, and hands it to its camera's
/// recorder, which opens or extends a clip; each clip that opens gets its own <see cref="ClipWriter"/> task
/// (anonymise → encode → seal). Probes the encoder at start. It runs until the tracking stage completes the
/// event channel (so every event raised reaches a clip), then closes the clips still open (their post-roll cut
/// short), waits for their writers and releases the pre-roll rings.
/// </summary>
internal sealed partial class RecordingStage : BackgroundService
{
    private readonly Recorders _recorders;
    private readonly ViolationChannel _violations;
    private readonly ClipWriter _writer;
    private readonly EncoderProbe _probe;
    private readonly RecordingOptions _options;
    private readonly IReadOnlyDictionary<string, double> _fps;
    private readonly TaskCompletionSource<ClipEncoder> _encoder;
    private readonly RecordingMetrics _metrics;
    private readonly ILogger<RecordingStage> _logger;
    private readonly ConcurrentDictionary<ClipRecording, Task> _writing = new();
    private string _encoderName = "not chosen yet";

    public RecordingStage(
        Recorders recorders,
        ViolationChannel violations,
        ClipWriter writer,
        EncoderProbe probe,
        TaskCompletionSource<ClipEncoder> encoder,
        RecordingOptions options,
        IReadOnlyDictionary<string, double> fps,
        RecordingMetrics metrics,
        PipelineStatus status,
        ILogger<RecordingStage> logger)
    {
        _recorders = recorders;
        _violations = violations;
        _writer = writer;
        _probe = probe;
        _encoder = encoder;
        _options = options;
        _fps = fps;
        _metrics = metrics;
        _logger = logger;
        foreach (var recorder in recorders.All)
        {
            status.Register($"record {recorder.CameraId}", () => Describe(recorder));
        }

        recorders.Attach(Start);
    }

    /// <summary>True when the clip path is the fail-closed floor (no real anonymiser registered): said once at start.</summary>
    public bool MasksEveryFrame { get; init; }

    /// <summary>Clips closed or open whose writer is still anonymising, encoding or sealing them (the demo waits for none).</summary>
    public int Writing => _writing.Count;

    /// <summary>The encoder in use (<c>libx264</c>, ...), for the status line.</summary>
    public string EncoderName => Volatile.Read(ref _encoderName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (MasksEveryFrame)
        {
            LogMaskingFloor();
        }

        try
        {
            var chosen = await _probe.ResolveAsync(_options.Encoder, stoppingToken);
            Volatile.Write(ref _encoderName, ClipEncoderArguments.Name(chosen));
            _encoder.TrySetResult(chosen);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _encoder.TrySetResult(ClipEncoder.Libx264);
        }

        try
        {
            // Until the tracking stage completes the channel, so every event raised reaches a clip.
            await foreach (var e in _violations.Reader.ReadAllAsync(CancellationToken.None))
            {
                LogViolation(e.RuleId, e.Kind, e.CameraId, e.TrackId, e.Class, e.WindowStart, e.WindowEnd, e.Confidence, e.Describe());
                _recorders.For(e.CameraId).OnEvent(e);
            }
        }
        finally
        {
            _recorders.CloseAll();
            await Task.WhenAll(_writing.Values);
            _recorders.Dispose();
        }
    }

    private void Start(ClipRecording clip)
    {
        LogClipOpened(clip.Number, clip.CameraId, clip.Events[0].RuleId, clip.Window.Start, clip.Window.End);
        var fps = _fps.TryGetValue(clip.CameraId, out var f) ? f : 10;

        // Not the stopping token: a clip that has begun is finished and sealed during the stop (bounded by the host's shutdown timeout).
        var task = Task.Run(() => _writer.RunAsync(clip, fps, CancellationToken.None), CancellationToken.None);
        _writing[clip] = task;
        task.ContinueWith(t => _writing.TryRemove(clip, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private string Describe(CameraRecorder recorder)
    {
        var (sealedClips, abandoned, failed, frames) = _metrics.For(recorder.CameraId);
        var lost = _metrics.FramesLost(recorder.CameraId);
        var cut = lost > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {lost} frames lost to clip memory (clips cut)") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{sealedClips} clips recorded and sealed ({frames} frames), {abandoned} abandoned, {failed} failed; {recorder.OpenClips} open; pre-roll ring {recorder.RingCount} of {recorder.RingCapacity} frames; encoder {EncoderName}{cut}");
    }

    [LoggerMessage(EventId = 6020, Level = LogLevel.Warning, Message = "Violation: rule {Rule} ({Kind}) camera {Camera} track {Track} {Class} from {WindowStart:O} to {WindowEnd:O} confidence {Confidence:0.00}: {Details}")]
    private partial void LogViolation(string rule, RuleKind kind, string camera, long track, Detection.ObjectClass @class, DateTimeOffset windowStart, DateTimeOffset windowEnd, double confidence, string details);

    [LoggerMessage(EventId = 6022, Level = LogLevel.Warning, Message = "No clip anonymiser in this build: every clip frame is masked whole (fail closed); clips carry their manifest, not their pictures")]
    private partial void LogMaskingFloor();

    [LoggerMessage(EventId = 6021, Level = LogLevel.Information, Message = "Clip {Number} of camera {Camera} opened by rule {Rule}: {Start:O} to {End:O}")]
    private partial void LogClipOpened(long number, string camera, string rule, DateTimeOffset start, DateTimeOffset end);
}
