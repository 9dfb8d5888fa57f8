using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Detection;

/// <summary>
/// Runs one camera's detectors on each of its frames and keeps that camera's tally. A frame on which any
/// detector failed, or a camera with no detector at all, is <em>not analysed</em>: privacy is fail-closed,
/// so such a frame may never be recorded (ARCHITECTURE.md, promise 1). A known inference failure
/// (<see cref="OnnxRuntimeException"/>, <see cref="InferenceException"/>) is a per-frame fact; anything
/// else a detector throws is a fault (a bug), counted apart so that the stage can give up on a detector
/// that keeps faulting.
/// </summary>
internal sealed class CameraAnalysis
{
    private readonly IDetector[] _detectors;
    private readonly DetectorCascade? _cascade;
    private readonly long[] _objects = new long[Enum.GetValues<ObjectClass>().Length];
    private long _analysed;
    private long _failed;
    private long _faults;
    private long _skipped;
    private long _ticks;

    public CameraAnalysis(string cameraId, IEnumerable<IDetector> detectors)
    {
        CameraId = cameraId;
        _detectors = detectors.ToArray();

        // A camera with an interval gets one cascade (DetectorSet.ForCamera), which may leave frames out.
        _cascade = _detectors is [DetectorCascade { HasInterval: true } cascade] ? cascade : null;
    }

    public string CameraId { get; }

    public long Analysed => Interlocked.Read(ref _analysed);

    /// <summary>Frames not analysed, for any reason (faults included).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Frames a primary detector's interval left out (counted in <see cref="Failed"/> too).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Frames on which a detector faulted (threw something other than a known inference failure).</summary>
    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>Faults since the last analysed frame.</summary>
    public int ConsecutiveFaults { get; private set; }

    /// <summary>Whether the last frame failed; the stage logs only when this changes.</summary>
    public bool Failing { get; private set; }

    public long Objects(ObjectClass objectClass) => Interlocked.Read(ref _objects[(int)objectClass]);

    /// <summary>
    /// Runs every detector on <paramref name="frame"/>, collecting into <paramref name="results"/> (cleared first).
    /// Returns whether the frame was analysed, or why not; <paramref name="error"/> is what failed.
    /// </summary>
    public AnalysisOutcome Analyse(Frame frame, List<DetectedObject> results, out Exception? error)
    {
        results.Clear();
        if (_detectors.Length == 0)
        {
            Interlocked.Increment(ref _failed);
            Failing = true;
            error = new InvalidOperationException($"camera '{CameraId}' has no detector configured");
            return AnalysisOutcome.NoDetector;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            if (_cascade is not null && !_cascade.Run(frame, results))
            {
                Interlocked.Increment(ref _failed);
                Interlocked.Increment(ref _skipped);
                error = null;
                return AnalysisOutcome.Skipped;
            }

            for (var i = 0; _cascade is null && i < _detectors.Length; i++)
            {
                _detectors[i].Detect(frame, results);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Faces found before the failure must not make the frame look analysed.
            results.Clear();
            Interlocked.Increment(ref _failed);
            Failing = true;
            error = e;
            if (e is OnnxRuntimeException or InferenceException)
            {
                return AnalysisOutcome.InferenceFailed;
            }

            Interlocked.Increment(ref _faults);
            ConsecutiveFaults++;
            return AnalysisOutcome.DetectorFault;
        }

        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref _analysed);
        foreach (var found in results)
        {
            Interlocked.Increment(ref _objects[(int)found.Class]);
        }

        Failing = false;
        ConsecutiveFaults = 0;
        error = null;
        return AnalysisOutcome.Analysed;
    }

    /// <summary>One line for systemd's STATUS and the run summary.</summary>
    public string Describe()
    {
        var analysed = Analysed;
        var milliseconds = analysed == 0 ? 0 : Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks)).TotalMilliseconds / analysed;
        var seen = Enum.GetValues<ObjectClass>()
            .Where(c => Objects(c) > 0)
            .Select(c => $"{c.ToString().ToLowerInvariant()} {Objects(c)}");
        var line = string.Create(CultureInfo.InvariantCulture, $"{analysed} frames analysed, {Failed} not analysed, {milliseconds:0.0} ms/frame");
        if (Skipped > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" ({Skipped} left out by the detection interval)");
        }

        if (Faults > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $", {Faults} detector faults");
        }

        var objects = string.Join(", ", seen);
        return objects.Length == 0 ? line + "; nothing detected" : $"{line}; detected {objects}";
    }
}
