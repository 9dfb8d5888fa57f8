using System.Globalization;
using Sensen.Edge.Detection;
using Sensen.Edge.Rules;

namespace Sensen.Edge.Tracking;

/// <summary>
/// One camera's live path after detection: its tracker and its rules, and the tallies its status line shows.
/// Only the primary classes are tracked (vehicles and people); faces, plates and text belong to the clip path.
/// </summary>
internal sealed class CameraTracking
{
    private readonly List<ViolationEvent> _events = new(8);
    private DetectedObject[] _primary = new DetectedObject[64];
    private long _frames;
    private long _analysed;
    private int _tracks;
    private CameraRules _rules;

    public CameraTracking(string cameraId, CameraRules rules, TrackerOptions? options = null)
    {
        CameraId = cameraId;
        _rules = rules;
        Tracker = new ObjectTracker(options);
    }

    public string CameraId { get; }

    public ObjectTracker Tracker { get; }

    /// <summary>The camera's rules; a reload replaces them between frames (<see cref="ReplaceRules"/>).</summary>
    public CameraRules Rules => Volatile.Read(ref _rules);

    /// <summary>
    /// New rules, zones and lines from a reloaded configuration, in force from the next frame. The tracker and its
    /// tracks stay; the old rules' running state (dwell timers, line crossings under way) goes with them.
    /// </summary>
    public void ReplaceRules(CameraRules rules) => Volatile.Write(ref _rules, rules);

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Confirmed tracks after the latest frame (read by the metrics thread).</summary>
    public int Tracks => Volatile.Read(ref _tracks);

    public static bool IsPrimary(ObjectClass c) => c is ObjectClass.Person or ObjectClass.Car or ObjectClass.Bus or ObjectClass.Truck or ObjectClass.Motorcycle or ObjectClass.Bicycle;

    /// <summary>
    /// Tracks and judges one frame. <paramref name="detections"/> is null for a frame the detector did not
    /// analyse: tracks then advance by prediction. Returns the events the frame raised (valid until the next call).
    /// </summary>
    public IReadOnlyList<ViolationEvent> Process(FrameTime time, int width, int height, ReadOnlySpan<DetectedObject> detections, bool analysed)
    {
        if (analysed)
        {
            if (_primary.Length < detections.Length)
            {
                _primary = new DetectedObject[detections.Length * 2];
            }

            var n = 0;
            foreach (var d in detections)
            {
                if (IsPrimary(d.Class))
                {
                    _primary[n++] = d;
                }
            }

            Tracker.Update(_primary.AsSpan(0, n), time);
            Interlocked.Increment(ref _analysed);
        }
        else
        {
            Tracker.Predict(time);
        }

        Interlocked.Increment(ref _frames);
        Volatile.Write(ref _tracks, Tracker.Confirmed.Count);
        _events.Clear();
        Rules.Evaluate(new RuleFrame(CameraId, time, width, height), Tracker.Confirmed, Tracker.Removed, _events);
        return _events;
    }

    /// <summary>One line for systemd's STATUS and the run summary.</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var rules = Rules.Rules.Count == 0
            ? "no rules"
            : "events " + string.Join(", ", Rules.Rules.Select(r => r.Suppressed > 0
                ? string.Create(c, $"{r.Id} {r.Events} (+{r.Suppressed} in cooldown)")
                : string.Create(c, $"{r.Id} {r.Events}")));
        return string.Create(c, $"{Frames} frames tracked ({Interlocked.Read(ref _analysed)} with detections), {Tracker.Started} tracks started; {rules}");
    }
}
