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
internal sealed class DetectorCascade
{
    /// <summary>At most this many crops per secondary and frame, best primary boxes first, so a crowd cannot stall the camera.</summary>
    public const int MaxCropsPerFrame = 32;

    private readonly (IDetector Detector, int Interval)[] _primaries;
    private readonly CascadeSecondary[] _secondaries;
    private readonly List<DetectedObject> _crops = new(MaxCropsPerFrame);
    private readonly List<DetectedObject> _found = new(64);
    private long _frame = -1;

    public DetectorCascade(IEnumerable<(IDetector Detector, int Interval)> primaries, IEnumerable<CascadeSecondary> secondaries)
    {
        _primaries = [.. primaries];
        _secondaries = [.. secondaries];
        if (_primaries.Length == 0 && _secondaries.Length > 0)
        {
            throw new ArgumentException("a cascade with secondary detectors needs a primary detector", nameof(primaries));
        }
    }

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

        foreach (var (detector, _) in _primaries)
        {
            detector.Detect(frame, results);
        }

        var primaryCount = results.Count;
        foreach (var secondary in _secondaries)
        {
            _crops.Clear();
            for (var i = 0; i < primaryCount && _crops.Count < MaxCropsPerFrame; i++)
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

        return true;
    }
}
