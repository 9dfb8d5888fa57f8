using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sensen.Edge.Detection;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tracking;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Hosting;

/// <summary>
/// Tells <see cref="Liveness"/> how to read each stage's progress from the counters the stages already keep,
/// once every stage has been built (the vault's own loop beats a probe). Started after the stages, before
/// the watchdog.
/// </summary>
internal sealed class LivenessWiring : IHostedService
{
    private readonly Liveness _liveness;
    private readonly IServiceProvider _services;
    private readonly PipelineEdges _edges;
    private readonly IngestMetrics _ingest;
    private readonly IngestTuning _tuning;
    private readonly IReadOnlyList<CameraOptions> _cameras;

    /// <param name="services">Read when starting, not here: the hosted services include this one, and the vault opens in its own service.</param>
    public LivenessWiring(Liveness liveness, IServiceProvider services, PipelineEdges edges, IngestMetrics ingest, IngestTuning tuning, IReadOnlyList<CameraOptions> cameras)
    {
        _liveness = liveness;
        _services = services;
        _edges = edges;
        _ingest = ingest;
        _tuning = tuning;
        _cameras = cameras;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var stages = _services.GetServices<IHostedService>().ToList();
        var detection = stages.OfType<DetectionStage>().Single();
        var tracking = stages.OfType<TrackingStage>().SingleOrDefault();
        foreach (var camera in _cameras)
        {
            var id = camera.Id;
            var state = _ingest.For(id);
            var pipeline = _edges.For(id);

            // Connecting and waiting out a back-off are known states; streaming without frames for twice the
            // stall timeout means the supervisor's own stall watchdog did not act.
            _liveness.Register($"ingest {id}", () => state.Frames + state.Reconnects + state.Stalls, () => state.State != CameraState.Streaming, 2 * _tuning.StallTimeout(camera));

            // Detection with nothing to take is idle, and with tracking's edge full it is held back (tracking is the one stuck).
            var analysis = detection.Cameras.Single(c => c.CameraId == id);
            _liveness.Register(
                $"detect {id}",
                () => analysis.Analysed + analysis.Failed + analysis.Skipped + analysis.Faults,
                () => pipeline.ToDetection.Reader.Count == 0 || pipeline.ToTracking.Reader.Count >= pipeline.ToTracking.Capacity);
            if (tracking is not null)
            {
                _liveness.Register($"track {id}", () => tracking.Ended(id), () => pipeline.ToTracking.Reader.Count == 0);
            }
        }

        if (stages.OfType<UplinkStage>().SingleOrDefault() is { } uplink)
        {
            var vault = _services.GetRequiredService<EvidenceVault>();
            // The delivery loop asks the vault for the next item at least every 250 ms while connected, and the
            // publisher counts the chunks of a long send; disconnected, the session is in its reconnect back-off.
            _liveness.Register("uplink", () => vault.SendPolls + uplink.Publisher.ChunksSent, () => !uplink.IsConnected);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
