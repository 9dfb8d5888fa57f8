using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Sensen.Edge.Ingest;

/// <summary>
/// The ingest stage's instruments (Meter <c>Sensen.Edge.Ingest</c>), each tagged with the camera id,
/// and the per-camera <see cref="CameraIngestState"/> that also feeds the status line.
/// </summary>
internal sealed class IngestMetrics
{
    public const string MeterName = "Sensen.Edge.Ingest";

    private readonly ConcurrentDictionary<string, CameraIngestState> _cameras = new(StringComparer.Ordinal);

    public IngestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        Frames = meter.CreateCounter<long>("sensen.edge.ingest.frames", "{frame}", "Frames read from the decoder");
        SupervisorCrashes = meter.CreateCounter<long>("sensen.edge.ingest.supervisor_crashes", "{crash}", "Camera supervisors that failed with an unexpected exception and were restarted");
        Reconnects = meter.CreateCounter<long>("sensen.edge.ingest.reconnects", "{reconnect}", "Decoder restarts after the first start");
        Stalls = meter.CreateCounter<long>("sensen.edge.ingest.stalls", "{stall}", "Runs killed because no frame arrived in time");
        Errors = meter.CreateCounter<long>("sensen.edge.ingest.errors", "{error}", "Classified decoder and connection errors, tagged by class");
        meter.CreateObservableGauge("sensen.edge.ingest.state", ObserveStates, description: "Camera state (0 idle, 1 connecting, 2 streaming, 3 waiting, 4 finished, 5 stopped)");
    }

    public Counter<long> Frames { get; }

    public Counter<long> SupervisorCrashes { get; }

    public Counter<long> Reconnects { get; }

    public Counter<long> Stalls { get; }

    public Counter<long> Errors { get; }

    /// <summary>The camera's state and counters, created on first use.</summary>
    public CameraIngestState For(string cameraId) =>
        _cameras.TryGetValue(cameraId, out var state) ? state : _cameras.GetOrAdd(cameraId, static (id, self) => new CameraIngestState(id, self), this);

    private IEnumerable<Measurement<int>> ObserveStates() =>
        _cameras.Values.Select(c => new Measurement<int>((int)c.State, new KeyValuePair<string, object?>("camera", c.CameraId)));
}
