using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Sensen.Edge.Detection;

/// <summary>
/// Meter <c>Sensen.Edge.Detection</c>: which execution provider each model runs on (so a silent CPU
/// fallback shows in telemetry), frames detected and time per frame.
/// </summary>
internal sealed class DetectionMetrics : IDisposable
{
    public const string MeterName = "Sensen.Edge.Detection";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, string> _providers = new(StringComparer.Ordinal);
    private readonly Counter<long> _frames;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _notAnalysed;

    public DetectionMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge(
            "sensen.detection.provider",
            () => _providers.Select(p => new Measurement<int>(1, new KeyValuePair<string, object?>("model", p.Key), new KeyValuePair<string, object?>("provider", p.Value))),
            description: "1 for the execution provider each model's session runs on");
        _frames = _meter.CreateCounter<long>("sensen.detection.frames", description: "Frames run through a detector");
        _notAnalysed = _meter.CreateCounter<long>("sensen.detection.frames_not_analysed", description: "Frames that were not analysed, tagged by camera and reason (inference_failed, detector_fault, no_detector, detection_stopped)");
        _duration = _meter.CreateHistogram<double>("sensen.detection.duration", unit: "ms", description: "Preprocess + inference + decode + NMS per frame");
    }

    public void ProviderSelected(string model, ExecutionProviderKind provider) => _providers[model] = ProviderName(provider);

    public void FrameDetected(string detector, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("detector", detector);
        _frames.Add(1, tag);
        _duration.Record(milliseconds, tag);
    }

    public void FrameNotAnalysed(string camera, string reason) =>
        _notAnalysed.Add(1, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("reason", reason));

    public static string ProviderName(ExecutionProviderKind kind) => kind switch
    {
        ExecutionProviderKind.Tensorrt => "tensorrt",
        ExecutionProviderKind.Cuda => "cuda",
        _ => "cpu",
    };

    public void Dispose() => _meter.Dispose();
}
