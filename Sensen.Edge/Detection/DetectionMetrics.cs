using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Sensen.Edge.Detection;

/// <summary>
/// Meter <c>Sensen.Edge.Detection</c>: which execution provider each model runs on (so a silent CPU
/// fallback shows in telemetry), frames detected and time per frame, per detector and per camera.
/// Sessions are made per model (<c>model</c> tag) but frames are counted per detector (<c>detectors[].id</c>),
/// so the provider gauge carries the detector ids that use each model: telemetry joins the two on <c>detector</c>.
/// </summary>
internal sealed class DetectionMetrics : IDisposable
{
    public const string MeterName = "Sensen.Edge.Detection";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, string> _providers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _detectorModels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _cameraProviders = new(StringComparer.Ordinal);
    private readonly Counter<long> _frames;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _cameraDuration;
    private readonly Counter<long> _notAnalysed;

    public DetectionMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge(
            "sensen.detection.provider",
            ProviderMeasurements,
            description: "1 for the execution provider each model's session runs on, once per detector using it (tag detector; none for a recogniser)");
        _meter.CreateObservableGauge(
            "sensen.detection.camera_provider",
            () => _cameraProviders.Select(p => new Measurement<int>(1, new KeyValuePair<string, object?>("camera", p.Key), new KeyValuePair<string, object?>("provider", p.Value))),
            description: "1 for the slowest execution provider among a camera's live-path detectors");
        _frames = _meter.CreateCounter<long>("sensen.detection.frames", description: "Frames run through a detector");
        _notAnalysed = _meter.CreateCounter<long>("sensen.detection.frames_not_analysed", description: "Frames that were not analysed, tagged by camera and reason (inference_failed, detector_fault, no_detector, detection_stopped)");
        _duration = _meter.CreateHistogram<double>("sensen.detection.duration", unit: "ms", description: "Preprocess + inference + decode + NMS per frame");
        _cameraDuration = _meter.CreateHistogram<double>(
            "sensen.detection.camera_duration", unit: "ms", description: "All of a camera's detectors on one analysed frame, waits for the shared sessions included");
    }

    public void ProviderSelected(string model, ExecutionProviderKind provider) => _providers[model] = ProviderName(provider);

    /// <summary>Detector <paramref name="detector"/> (<c>detectors[].id</c>) runs on model <paramref name="model"/>'s session.</summary>
    public void DetectorUses(string detector, string model) => _detectorModels[detector] = model;

    /// <summary>
    /// The provider a camera's frames are analysed on: the slowest of its detectors' (CPU before CUDA before TensorRT),
    /// since one detector fallen back to the CPU holds the whole camera back.
    /// </summary>
    public void CameraUses(string camera, IEnumerable<ExecutionProviderKind> providers)
    {
        var kinds = providers.ToList();
        if (kinds.Count == 0)
        {
            _cameraProviders.TryRemove(camera, out _);
            return;
        }

        _cameraProviders[camera] = ProviderName(kinds.Max());
    }

    /// <summary>Time for all of <paramref name="camera"/>'s detectors on one analysed frame.</summary>
    public void CameraFrameDetected(string camera, double milliseconds) =>
        _cameraDuration.Record(milliseconds, new KeyValuePair<string, object?>("camera", camera));

    public void FrameDetected(string detector, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("detector", detector);
        _frames.Add(1, tag);
        _duration.Record(milliseconds, tag);
    }

    public void FrameNotAnalysed(string camera, string reason) =>
        _notAnalysed.Add(1, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("reason", reason));

    private IEnumerable<Measurement<int>> ProviderMeasurements()
    {
        foreach (var (model, provider) in _providers)
        {
            var used = false;
            foreach (var (detector, _) in _detectorModels.Where(d => d.Value == model))
            {
                used = true;
                yield return new Measurement<int>(1, Tag("model", model), Tag("provider", provider), Tag("detector", detector));
            }

            if (!used)
            {
                yield return new Measurement<int>(1, Tag("model", model), Tag("provider", provider));
            }
        }
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    public static string ProviderName(ExecutionProviderKind kind) => kind switch
    {
        ExecutionProviderKind.Tensorrt => "tensorrt",
        ExecutionProviderKind.Cuda => "cuda",
        _ => "cpu",
    };

    public void Dispose() => _meter.Dispose();
}
