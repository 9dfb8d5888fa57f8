using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Ingest;

/// <summary>
/// The ingest stage: one <see cref="CameraSupervisor"/> per configured camera, each on its own task,
/// so one camera's failure never touches another's. A supervisor that fails with an unexpected exception
/// (a bug: camera problems are retried inside it) is restarted after a back-off, and after
/// <see cref="IngestTuning.SupervisorRestarts"/> failures in a row the stage fails, which stops the host
/// with a non-zero exit. Completes each camera's ingest → detection edge when that camera's supervision
/// ends, which ends the consumers downstream.
/// </summary>
internal sealed class IngestStage : BackgroundService
{
    private readonly IReadOnlyList<CameraOptions> _cameras;
    private readonly PipelineEdges _edges;
    private readonly IngestMetrics _metrics;
    private readonly IFrameSourceFactory _sources;
    private readonly HardwareProbe _hardware;
    private readonly CredentialStore _credentials;
    private readonly IngestTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestStage> _logger;
    private Task _runs = Task.CompletedTask;

    public IngestStage(
        IReadOnlyList<CameraOptions> cameras,
        PipelineEdges edges,
        IngestMetrics metrics,
        IFrameSourceFactory sources,
        HardwareProbe hardware,
        CredentialStore credentials,
        IngestTuning tuning,
        TimeProvider time,
        PipelineStatus status,
        ILogger<IngestStage> logger)
    {
        _cameras = cameras;
        _edges = edges;
        _metrics = metrics;
        _sources = sources;
        _hardware = hardware;
        _credentials = credentials;
        _tuning = tuning;
        _time = time;
        _logger = logger;
        foreach (var camera in cameras)
        {
            var state = metrics.For(camera.Id);
            state.Drops = edges.For(camera.Id).ToDetection.Drops;
            status.Register($"ingest {camera.Id}", state.Describe);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // ExecuteAsync ends early when one camera's supervision failed; the other cameras' supervisors end
        // on the stopping token, and each completes its edge on the way out. Their failures are already logged.
        await _runs.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runs = _cameras.Select(camera => Task.Run(() => SuperviseAsync(camera, stoppingToken), CancellationToken.None)).ToList();
        _runs = Task.WhenAll(runs);

        // The first camera whose supervision failed for good fails the stage at once (StopHost).
        while (runs.Count > 0)
        {
            var ended = await Task.WhenAny(runs);
            runs.Remove(ended);
            await ended;
        }
    }

    private async Task SuperviseAsync(CameraOptions camera, CancellationToken stoppingToken)
    {
        var state = _metrics.For(camera.Id);
        var edge = _edges.For(camera.Id);
        CameraSupervisor? supervisor = null;
        var crashes = 0;
        var framesAtLastCrash = 0L;
        try
        {
            while (true)
            {
                try
                {
                    supervisor ??= new CameraSupervisor(camera, state, edge.Frames, edge.ToDetection, _sources, _hardware, _credentials, _tuning, _time, _logger);
                    await supervisor.RunAsync(stoppingToken);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A bug in one camera's supervision: the camera is not given up on quietly, and a bug that
                    // keeps coming back must not leave the daemon "ready" with a dead camera either.
                    state.SupervisorCrashed();
                    crashes = state.Frames > framesAtLastCrash ? 1 : crashes + 1;
                    framesAtLastCrash = state.Frames;
                    if (crashes > _tuning.SupervisorRestarts)
                    {
                        state.SetState(CameraState.Stopped);
                        _logger.SupervisorGaveUp(camera.Id, crashes, e);
                        throw new SupervisorFailedException($"camera '{camera.Id}': supervisor failed {crashes} times in a row", e);
                    }

                    state.SetState(CameraState.Waiting);
                    var delay = IngestBackoff.Delay(crashes - 1, _tuning.BackoffBase, _tuning.BackoffMax, Random.Shared.NextDouble());
                    _logger.SupervisorCrashed(camera.Id, crashes, _tuning.SupervisorRestarts, delay.TotalSeconds, e);
                    await Task.Delay(delay, _time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The daemon is stopping while this camera waited out a back-off.
            state.SetState(CameraState.Stopped);
        }
        finally
        {
            edge.ToDetection.Writer.TryComplete();
        }
    }
}
