using System.Diagnostics.Metrics;

namespace Sensen.Edge.Pipeline;

/// <summary>Meter <c>Sensen.Edge.Pipeline</c>: drops per edge, and frames that reached the end of the pipeline.</summary>
internal sealed class PipelineMetrics
{
    public const string MeterName = "Sensen.Edge.Pipeline";

    private readonly Meter _meter;

    public PipelineMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        Dropped = meter.CreateCounter<long>("sensen.edge.pipeline.frames_dropped", "{frame}", "Frames that left the pipeline before its end, tagged by camera, edge and reason");
        Ended = meter.CreateCounter<long>("sensen.edge.pipeline.frames_ended", "{frame}", "Frames released at the end of the pipeline, tagged by camera and whether they were analysed");
    }

    public Counter<long> Dropped { get; }

    public Counter<long> Ended { get; }

    /// <summary>The tracking stage's gauge <c>sensen.edge.tracking.tracks</c>: confirmed tracks per camera now (telemetry's <c>tracks</c>).</summary>
    public void ObserveTracks(Func<IEnumerable<Measurement<int>>> observe) =>
        _meter.CreateObservableGauge("sensen.edge.tracking.tracks", observe, "{track}", "Confirmed tracks per camera after the latest frame, tagged by camera");
}
