using Sensen.Edge.Frames;

namespace Sensen.Edge.Detection;

/// <summary>
/// One camera's detectors as a primary/secondary cascade, as DeepStream's primary and secondary inference
/// engines (nvinfer <c>process-mode</c> 1 and 2, <c>operate-on-class-ids</c>): primary detectors run on the
/// whole frame; each secondary runs on crops of the primary boxes of its classes (the upper part of a person
/// for a face model, a vehicle for a plate model), each crop scaled to the secondary's input, its boxes mapped
/// back to frame pixels, with NMS across one secondary's crops. With an interval N a primary runs on every Nth frame only; a frame on which any
/// primary did not run is not analysed, which <see cref="Run"/> reports, so every frame stays accounted.
/// One instance per camera (the interval counts that camera's frames); not thread-safe.
/// </summary>
internal sealed class DetectorCascade : IDetector
{
    /// <summary>At most this many crops per secondary and frame, best primary boxes first, so a crowd cannot stall the camera.</summary>
    public const int MaxCropsPerFrame = 32;

    private readonly (IDetector Detector, int Interval)[] _primaries;
    private readonly CascadeSecondary[] _secondaries;
    private readonly List<DetectedObject> _crops = new(MaxCropsPerFrame);
    private readonly List<DetectedObject> _found = new(64);
    private long _frame = -1;

    public DetectorCascade(IEnumerable<(IDetector Detector, int Interval)> primaries, IEnumerable<CascadeSecondary> secondaries, string id = "cascade")
    {
        _primaries = [.. primaries];
        _secondaries = [.. secondaries];
        if (_primaries.Length == 0 && _secondaries.Length > 0)
        {
            throw new ArgumentException("a cascade with secondary detectors needs a primary detector", nameof(primaries));
        }

        Id = id;
        Classes = _primaries.SelectMany(p => p.Detector.Classes).Concat(_secondaries.SelectMany(s => s.Detector.Classes)).ToHashSet();
    }

    public string Id { get; }

    public IReadOnlySet<ObjectClass> Classes { get; }

    /// <summary>Whether a primary runs on fewer than every frame, so <see cref="Run"/> can skip frames.</summary>
    public bool HasInterval => _primaries.Any(p => p.Interval > 1);

    public int PrimaryCount => _primaries.Length;

    public int SecondaryCount => _secondaries.Length;

    /// <summary>
    /// Runs the cascade on the next frame of the camera, appending to <paramref name="results"/> (cleared
    /// first): primary boxes, then each secondary's. Returns false when an interval skipped a primary on this
    /// frame: then nothing ran and the frame is not analysed.
    /// </summary>
    public bool Run(Frame frame, List<DetectedObject> results)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(results);
        results.Clear();
        _frame++;
        foreach (var (_, interval) in _primaries)
        {
            if (_frame % interval != 0)
            {
                return false;
            }
        }

        Detect(frame, results);
        return true;
    }

    /// <summary>The whole cascade on <paramref name="frame"/>, whatever the interval, appending to <paramref name="results"/>.</summary>
    public int Detect(Frame frame, List<DetectedObject> results)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(results);
        var first = results.Count;
        foreach (var (detector, _) in _primaries)
        {
            detector.Detect(frame, results);
        }

        var primaryEnd = results.Count;
        foreach (var secondary in _secondaries)
        {
            _crops.Clear();
            for (var i = first; i < primaryEnd && _crops.Count < MaxCropsPerFrame; i++)
            {
                if (secondary.CropsOf.Contains(results[i].Class))
                {
                    _crops.Add(results[i]);
                }
            }

            // Overlapping primary boxes (two people side by side) put one face in two crops: NMS across the crops.
            _found.Clear();
            foreach (var crop in _crops)
            {
                var b = crop.Box;
                secondary.Detector.Detect(frame, b with { Y2 = b.Y1 + (b.Height * secondary.CropHeight) }, _found);
            }

            NonMaxSuppression.Apply(_found, secondary.Detector.IouThreshold);
            results.AddRange(_found);
        }

        return results.Count - first;
    }
}
