using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Recording;
using Sensen.Edge.Rules;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tracking;

/// <summary>
/// The end of the live path: reads each camera's detection → tracking edge, tracks the frame's detections,
/// reads the lamp regions, evaluates the camera's rules and hands events to <see cref="ViolationChannel"/>
/// (towards Recording). Each frame is then handed to its camera's recorder (a direct call: the pre-roll ring
/// takes a reference of its own, docs/PIPELINE.md), released and counted as the pipeline's end
/// (<c>sensen.edge.pipeline.frames_ended</c>). One loop per camera; it stops on its
/// token as well as on the edge's end, releases every frame either way, and completes the event channel last.
/// </summary>
internal sealed partial class TrackingStage : BackgroundService
{
    private readonly PipelineEdges _edges;
    private readonly PipelineMetrics _metrics;
    private readonly ViolationChannel _violations;
    private readonly ILogger<TrackingStage> _logger;
    private readonly Dictionary<string, CameraTracking> _cameras = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _ended = new(StringComparer.Ordinal);
    private readonly Recorders? _recorders;
    private readonly IFrameObserver? _observer;

    /// <param name="trackerFor">Each camera's tracker options; the defaults where null.</param>
    /// <param name="recorders">The recording's per-camera recorders; null where nothing records (tests of the live path alone).</param>
    /// <param name="observer">Told of every frame that ends here (the demo's chart); null in the daemon.</param>
    public TrackingStage(PipelineEdges edges, Func<string, CameraRules> rulesFor, PipelineMetrics metrics, ViolationChannel violations, PipelineStatus status, ILogger<TrackingStage> logger, Func<string, TrackerOptions>? trackerFor = null, Recorders? recorders = null, IFrameObserver? observer = null)
    {
        _recorders = recorders;
        _observer = observer;
        _edges = edges;
        _metrics = metrics;
        _violations = violations;
        _logger = logger;
        foreach (var id in edges.CameraIds)
        {
            var camera = new CameraTracking(id, rulesFor(id), trackerFor?.Invoke(id));
            _cameras[id] = camera;
            var counts = new long[2];
            _ended[id] = counts;
            status.Register($"track {id}", camera.Describe);
            var fate = recorders is null ? "were released unrecorded" : "passed the pre-roll ring";
            status.Register($"end {id}", () => $"{Interlocked.Read(ref counts[0]) + Interlocked.Read(ref counts[1])} frames reached the end of the pipeline and {fate} ({Interlocked.Read(ref counts[0])} analysed)");
        }

        metrics.ObserveTracks(() => _cameras.Values.Select(c => new System.Diagnostics.Metrics.Measurement<int>(c.Tracks, new KeyValuePair<string, object?>("camera", c.CameraId))));
        var consumer = recorders is null ? "events are logged (nothing records here)" : "events go to recording";
        status.Register("violations", () => _violations.Dropped == 0
            ? consumer
            : $"{consumer}; {_violations.Dropped} dropped, the queue was full");
    }

    public CameraTracking Camera(string cameraId) => _cameras[cameraId];

    /// <summary>Frames of this camera that reached the end of the pipeline (its progress, for the watchdog).</summary>
    public long Ended(string cameraId)
    {
        var counts = _ended[cameraId];
        return Interlocked.Read(ref counts[0]) + Interlocked.Read(ref counts[1]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(_edges.Cameras.Select(camera => Task.Run(() => RunAsync(camera, stoppingToken), CancellationToken.None)));
        }
        finally
        {
            _violations.Complete();
        }
    }

    private async Task RunAsync(CameraPipeline pipeline, CancellationToken stoppingToken)
    {
        var edge = pipeline.ToTracking;
        var camera = _cameras[pipeline.CameraId];
        var counts = _ended[pipeline.CameraId];
        var recorder = _recorders?.For(pipeline.CameraId);
        var analysedTags = new KeyValuePair<string, object?>[] { new("camera", pipeline.CameraId), new("analysed", true) };
        var notAnalysedTags = new KeyValuePair<string, object?>[] { new("camera", pipeline.CameraId), new("analysed", false) };
        try
        {
            while (await edge.Reader.WaitToReadAsync(stoppingToken))
            {
                while (edge.Reader.TryRead(out var item))
                {
                    var analysed = item.IsAnalysed;
                    try
                    {
                        var frame = item.Frame;
                        camera.Rules.Observe(frame);
                        var events = camera.Process(new FrameTime(item.Pts, item.CaptureTime), frame.Width, frame.Height, item.Detections, analysed);
                        for (var i = 0; i < events.Count; i++)
                        {
                            if (!_violations.Publish(events[i]))
                            {
                                LogEventDropped(events[i].RuleId, pipeline.CameraId, events[i].TrackId);
                            }
                        }

                        _observer?.LiveFrame(pipeline.CameraId, item.Sequence, item.Pts, analysed, item.Detections.Length);

                        // After the events it raised are published: the frame that decided an event is in the ring when the clip opens.
                        recorder?.OnFrame(item, camera.Tracker.Tracks);
                    }
                    finally
                    {
                        item.Release();
                        Interlocked.Increment(ref counts[analysed ? 0 : 1]);
                        _metrics.Ended.Add(1, analysed ? analysedTags : notAnalysedTags);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before detection finished: what is still on the edge is released below.
        }
        finally
        {
            edge.Close();
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Violation {Rule} on camera {Camera} (track {Track}) was dropped: the queue towards recording is full")]
    private partial void LogEventDropped(string rule, string camera, long track);
}
