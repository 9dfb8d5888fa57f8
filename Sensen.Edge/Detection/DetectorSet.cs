using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Detection;

/// <summary>
/// Every configured detector, each with its session created, checked and warmed up. Built once at start;
/// any manifest, hash, shape or provider problem stops start-up with a <see cref="ModelException"/>.
/// </summary>
internal sealed class DetectorSet : IDisposable
{
    private readonly Dictionary<string, OnnxDetector> _detectors;

    private DetectorSet(Dictionary<string, OnnxDetector> detectors)
    {
        _detectors = detectors;
    }

    public IReadOnlyCollection<OnnxDetector> All => _detectors.Values;

    public IDetector this[string id] => _detectors[id];

    /// <summary>
    /// The detectors that run on <paramref name="cameraId"/>'s live path: each on the whole frame, or, when any of them is a
    /// secondary (<c>crops_of</c>) or has an interval, one <see cref="DetectorCascade"/> of them all.
    /// </summary>
    public IEnumerable<IDetector> ForCamera(string cameraId, IReadOnlyList<DetectorOptions> options)
    {
        var mine = options.Where(o => RunsLive(o, cameraId)).ToList();
        return mine.Any(o => o.CropsOf.Count > 0 || o.Interval > 1)
            ? [CascadeFor(cameraId, options)]
            : mine.Select(o => (IDetector)_detectors[o.Id]);
    }

    /// <summary>Whether <paramref name="detector"/> runs on <paramref name="cameraId"/>'s live path (<c>live: false</c>: clip path only).</summary>
    public static bool RunsLive(DetectorOptions detector, string cameraId) =>
        detector.Live && (detector.Cameras.Count == 0 || detector.Cameras.Contains(cameraId));

    /// <summary>The execution providers of the detectors that run on <paramref name="cameraId"/> (for its telemetry).</summary>
    public IEnumerable<ExecutionProviderKind> ProvidersFor(string cameraId, IReadOnlyList<DetectorOptions> options) =>
        options.Where(o => RunsLive(o, cameraId)).Select(o => _detectors[o.Id].Provider);

    /// <summary>
    /// <paramref name="cameraId"/>'s detectors as a cascade: those without <c>crops_of</c> are primaries, the others
    /// run on crops of the primaries' boxes of their classes.
    /// </summary>
    public DetectorCascade CascadeFor(string cameraId, IReadOnlyList<DetectorOptions> options)
    {
        var mine = options.Where(o => RunsLive(o, cameraId)).ToList();
        return new DetectorCascade(
            mine.Where(o => o.CropsOf.Count == 0).Select(o => ((IDetector)_detectors[o.Id], o.Interval)),
            mine.Where(o => o.CropsOf.Count > 0).Select(o => new CascadeSecondary(
                _detectors[o.Id],
                o.CropsOf.SelectMany(name => ObjectClasses.Resolve(name) ?? throw new ModelException($"detector '{o.Id}': crops_of '{name}' is not a class or group")).ToHashSet(),
                (float)o.CropHeight)),
            $"cascade:{cameraId}");
    }

    public static DetectorSet Create(LoadedConfig config, ILogger logger, DetectionMetrics metrics)
    {
        var options = config.Options;
        var factory = new InferenceSessionFactory(options.Inference, options.Device.StateDirectory, logger, metrics);
        return Create(options.Detectors, config.ModelsDirectory, factory, metrics);
    }

    /// <summary>Sessions for <paramref name="options"/> only (the operator's <c>detect --config</c> loads one camera's).</summary>
    public static DetectorSet Create(IEnumerable<DetectorOptions> options, string modelsDirectory, InferenceSessionFactory factory, DetectionMetrics? metrics = null)
    {
        var detectors = new Dictionary<string, OnnxDetector>(StringComparer.Ordinal);
        try
        {
            foreach (var d in options)
            {
                var model = ModelManifestReader.Read(modelsDirectory, d.Model);
                var session = factory.Create(model);
                try
                {
                    detectors.Add(d.Id, new OnnxDetector(d.Id, session, d.Confidence, d.IouThreshold, metrics));
                    metrics?.DetectorUses(d.Id, model.Name);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            foreach (var detector in detectors.Values)
            {
                detector.Dispose();
            }

            throw;
        }

        return new DetectorSet(detectors);
    }

    public void Dispose()
    {
        foreach (var detector in _detectors.Values)
        {
            detector.Dispose();
        }
    }
}
