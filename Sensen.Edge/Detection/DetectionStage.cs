using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Detection;

/// <summary>
/// The detection stage: takes each camera's frames from its ingest → detection edge (where frames are dropped
/// when analysis falls behind), runs that camera's detectors on every frame it takes, and writes each one,
/// analysed or not, as an <see cref="AnalysedFrame"/> to the camera's detection → tracking edge, waiting when
/// that edge is full. One loop per camera; the detector sessions are shared.
/// A detector fault (a bug) marks the frame not analysed, is logged with its exception once per kind and
/// counted; after <see cref="InferenceOptions.MaxConsecutiveDetectorFaults"/> in a row the stage fails, which
/// stops the host with a non-zero exit. Each loop ends on the stopping token as well as on its edge's end,
/// and every frame it took or could still take is released either way.
/// </summary>
internal sealed partial class DetectionStage : BackgroundService
{
    private readonly PipelineEdges _edges;
    private readonly Func<string, IEnumerable<IDetector>> _detectorsFor;
    private readonly int _maxConsecutiveFaults;
    private readonly DetectionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<DetectionStage> _logger;
    private readonly TaskCompletionSource _fault = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, CameraAnalysis> _cameras = new(StringComparer.Ordinal);
    private Task _loops = Task.CompletedTask;

    /// <param name="detectorsFor">
    /// The detectors of a camera; called when the stage starts, after the models were loaded (start-up order:
    /// vault and credentials first, then models, then frames).
    /// </param>
    public DetectionStage(
        PipelineEdges edges,
        Func<string, IEnumerable<IDetector>> detectorsFor,
        InferenceOptions inference,
        DetectionMetrics metrics,
        TimeProvider time,
        PipelineStatus status,
        ILogger<DetectionStage> logger)
    {
        _edges = edges;
        _detectorsFor = detectorsFor;
        _maxConsecutiveFaults = inference.MaxConsecutiveDetectorFaults;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        foreach (var id in edges.CameraIds)
        {
            status.Register($"detect {id}", () => _cameras.TryGetValue(id, out var camera) ? camera.Describe() : "not started");
        }
    }

    public IReadOnlyCollection<CameraAnalysis> Cameras => _cameras.Values;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _cameras = _edges.CameraIds.ToDictionary(id => id, id => new CameraAnalysis(id, _detectorsFor(id)), StringComparer.Ordinal);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // After a fault ExecuteAsync ended early; the loops end on the token and release what they hold.
        await _loops.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _loops = Task.WhenAll(_cameras.Values.Select(camera => Task.Run(() => AnalyseAsync(camera, stoppingToken), CancellationToken.None)));
        await Task.WhenAny(_loops, _fault.Task);
        if (_fault.Task.IsFaulted)
        {
            await _fault.Task;
        }

        await _loops;
    }

    private async Task AnalyseAsync(CameraAnalysis camera, CancellationToken stoppingToken)
    {
        var pipeline = _edges.For(camera.CameraId);
        var input = pipeline.ToDetection;
        var output = pipeline.ToTracking;
        var loggedFaults = new HashSet<Type>();
        var gaveUp = false;
        using var stop = input.CompleteOn(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested && await input.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (!stoppingToken.IsCancellationRequested && input.Reader.TryRead(out var frame))
                {
                    var analysed = Analyse(camera, pipeline, frame, loggedFaults, ref gaveUp);
                    try
                    {
                        await output.Writer.WriteAsync(analysed, stoppingToken);
                    }
                    catch (Exception e) when (e is ChannelClosedException || (e is OperationCanceledException && stoppingToken.IsCancellationRequested))
                    {
                        // Tracking has stopped, or we are stopping while it is behind: the frame stays ours.
                        output.ReleaseUndelivered(analysed);
                        if (e is OperationCanceledException)
                        {
                            throw;
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before ingest finished: frames still waiting are released below.
        }
        finally
        {
            input.Close();
            output.Writer.TryComplete();
        }
    }

    private AnalysedFrame Analyse(CameraAnalysis camera, CameraPipeline pipeline, Frame frame, HashSet<Type> loggedFaults, ref bool gaveUp)
    {
        var detections = pipeline.Detections.Rent();
        AnalysisOutcome outcome;
        try
        {
            if (gaveUp)
            {
                // The daemon is stopping because of this camera's faults; frames still coming are passed on unanalysed.
                outcome = AnalysisOutcome.DetectionStopped;
            }
            else
            {
                var wasFailing = camera.Failing;
                var started = Stopwatch.GetTimestamp();
                outcome = camera.Analyse(frame, detections.Items, out var error);
                if (outcome == AnalysisOutcome.Analysed)
                {
                    _metrics.CameraFrameDetected(camera.CameraId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                Report(camera, outcome, error, wasFailing, loggedFaults);
                if (outcome == AnalysisOutcome.DetectorFault && camera.ConsecutiveFaults >= _maxConsecutiveFaults)
                {
                    gaveUp = true;
                    LogGivingUp(camera.CameraId, camera.ConsecutiveFaults);
                    _fault.TrySetException(new DetectorFaultException($"camera '{camera.CameraId}': detectors faulted on {camera.ConsecutiveFaults} frames in a row", error!));
                }
            }

            if (outcome != AnalysisOutcome.Analysed)
            {
                _metrics.FrameNotAnalysed(camera.CameraId, ReasonTag(outcome));
            }

            return new AnalysedFrame(frame.Handle(), detections, outcome, _time.GetUtcNow());
        }
        catch
        {
            // A fault of ours, not of a detector (those are caught in CameraAnalysis): nothing leaks on the way out.
            detections.Items.Clear();
            detections.TryReturn(detections.Generation);
            frame.Release();
            throw;
        }
    }

    private void Report(CameraAnalysis camera, AnalysisOutcome outcome, Exception? error, bool wasFailing, HashSet<Type> loggedFaults)
    {
        switch (outcome)
        {
            case AnalysisOutcome.Analysed when wasFailing:
                LogAnalysing(camera.CameraId);
                break;
            case AnalysisOutcome.DetectorFault when loggedFaults.Add(error!.GetType()):
                // Once per kind of fault and camera, with its stack: the count says how often it recurs.
                LogDetectorFault(camera.CameraId, error.GetType().Name, _maxConsecutiveFaults, error);
                break;
            case AnalysisOutcome.InferenceFailed or AnalysisOutcome.NoDetector when !wasFailing:
                LogNotAnalysed(camera.CameraId, error!.Message, error);
                break;
            default:
                break;
        }
    }

    private static string ReasonTag(AnalysisOutcome outcome) => outcome switch
    {
        AnalysisOutcome.InferenceFailed => "inference_failed",
        AnalysisOutcome.DetectorFault => "detector_fault",
        AnalysisOutcome.NoDetector => "no_detector",
        AnalysisOutcome.Skipped => "interval",
        _ => "detection_stopped",
    };

    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "Camera {Camera}: frames cannot be analysed ({Reason}); they will not be recorded until analysis works again")]
    private partial void LogNotAnalysed(string camera, string reason, Exception exception);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Camera {Camera}: frames are analysed again")]
    private partial void LogAnalysing(string camera);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Camera {Camera}: a detector faulted ({Fault}); the frame is not analysed, further faults of this kind are only counted, and {Limit} in a row stop the daemon")]
    private partial void LogDetectorFault(string camera, string fault, int limit, Exception exception);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Critical, Message = "Camera {Camera}: detectors faulted on {Count} frames in a row; stopping the daemon so that systemd restarts it")]
    private partial void LogGivingUp(string camera, int count);
}
