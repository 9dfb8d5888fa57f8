using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Ingest;

/// <summary>
/// The ingest stage: one <see cref="CameraSupervisor"/> per configured camera, each on its own task,
/// so one camera's failure never touches another's. Completes the cameras' channels when it stops,
/// which ends the consumers downstream.
/// </summary>
internal sealed class IngestStage : BackgroundService
{
    private readonly EdgeOptions _options;
    private readonly FrameChannels _channels;
    private readonly IngestMetrics _metrics;
    private readonly IFrameSourceFactory _sources;
    private readonly HardwareProbe _hardware;
    private readonly CredentialStore _credentials;
    private readonly IngestTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestStage> _logger;

    public IngestStage(
        EdgeOptions options,
        FrameChannels channels,
        IngestMetrics metrics,
        IFrameSourceFactory sources,
        HardwareProbe hardware,
        CredentialStore credentials,
        IngestTuning tuning,
        TimeProvider time,
        PipelineStatus status,
        ILogger<IngestStage> logger)
    {
        _options = options;
        _channels = channels;
        _metrics = metrics;
        _sources = sources;
        _hardware = hardware;
        _credentials = credentials;
        _tuning = tuning;
        _time = time;
        _logger = logger;
        foreach (var camera in options.Cameras)
        {
            var state = metrics.For(camera.Id);
            status.Register($"ingest {camera.Id}", state.Describe);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runs = _options.Cameras.Select(c => c.Ingest).Select(camera => Task.Run(() => SuperviseAsync(camera, stoppingToken), CancellationToken.None)).ToList();
        await Task.WhenAll(runs);
    }

    private async Task SuperviseAsync(CameraOptions camera, CancellationToken stoppingToken)
    {
        var supervisor = new CameraSupervisor(
            camera,
            _metrics.For(camera.Id),
            _channels.Pool(camera.Id),
            _channels.Writer(camera.Id),
            _sources,
            _hardware,
            _credentials,
            _tuning,
            _time,
            _logger);
        try
        {
            await supervisor.RunAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug in one camera's supervision must not stop the others (or the daemon).
            _logger.SupervisorCrashed(camera.Id, e);
            _metrics.For(camera.Id).SetState(CameraState.Stopped);
        }
        finally
        {
            _channels.Writer(camera.Id).TryComplete();
        }
    }
}
