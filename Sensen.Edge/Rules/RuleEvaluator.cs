using Sensen.Edge.Detection;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// What every rule shares: its classes, schedule, minimum confidence, cooldown and reference point, and the
/// once-per-track guarantee. Subclasses look at one confirmed track at a time and call <see cref="Offence"/>
/// when it offends; whether that becomes an event is decided here.
/// </summary>
internal abstract class RuleEvaluator
{
    private readonly bool[] _classes = new bool[Enum.GetValues<ObjectClass>().Length];
    private readonly RuleSchedule _schedule;
    private readonly HashSet<long> _fired = [];
    private List<ViolationEvent> _output = [];
    private DateTimeOffset _lastEvent = DateTimeOffset.MinValue;
    private bool _wasActive;
    private long _events;
    private long _suppressed;

    protected RuleEvaluator(RuleOptions options, RuleSchedule schedule)
    {
        Options = options;
        _schedule = schedule;
        foreach (var c in options.Classes)
        {
            _classes[(int)c] = true;
        }
    }

    public RuleOptions Options { get; }

    public string Id => Options.Id;

    public RuleKind Kind => Options.Type!.Value;

    /// <summary>Events raised so far.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Offences inside a cooldown: not raised, counted.</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    /// <summary>Whether a track, once it raised this rule, may raise it again (no_stopping: once per stay).</summary>
    protected virtual bool OncePerTrack => true;

    /// <summary>How long a vehicle must be seen outside a zone before it has left it (box jitter at the edge).</summary>
    protected static TimeSpan ExitGrace { get; } = TimeSpan.FromSeconds(0.5);

    /// <summary>How far back before a crossing the evidence window reaches.</summary>
    protected static TimeSpan CrossingLead { get; } = TimeSpan.FromSeconds(3);

    /// <summary>When the schedule last came into force (dwell before that does not count).</summary>
    protected DateTimeOffset ActiveSince { get; private set; } = DateTimeOffset.MinValue;

    public void Evaluate(in RuleFrame frame, IReadOnlyList<Track> tracks, List<ViolationEvent> output)
    {
        _output = output;
        var active = _schedule.IsActive(frame.Time.Wall);
        if (active && !_wasActive)
        {
            ActiveSince = frame.Time.Wall;
        }

        _wasActive = active;
        for (var i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i];
            if (!_classes[(int)track.Class] || (OncePerTrack && _fired.Contains(track.Id)) || track.HistoryCount == 0)
            {
                continue;
            }

            EvaluateTrack(frame, track, active);
        }
    }

    /// <summary>The tracker removed the track: drop what is kept about it.</summary>
    public void Forget(long trackId)
    {
        _fired.Remove(trackId);
        OnForget(trackId);
    }

    protected abstract void EvaluateTrack(in RuleFrame frame, Track track, bool scheduleActive);

    protected abstract void OnForget(long trackId);

    /// <summary>The rule's reference point of <paramref name="box"/>, in image fractions.</summary>
    protected NormalizedPoint Point(BoxF box, in RuleFrame frame)
    {
        var x = (box.X1 + box.X2) / 2.0 / frame.Width;
        var y = Options.ReferencePoint switch
        {
            ReferencePoint.Centre => (box.Y1 + box.Y2) / 2.0,
            ReferencePoint.TopCentre => box.Y1,
            _ => box.Y2,
        } / frame.Height;
        return new NormalizedPoint(x, y);
    }

    /// <summary>
    /// The track offends. Returns true when that is settled (an event raised, or swallowed by the cooldown),
    /// false when the track's confidence is too low for evidence and the rule should look again next frame.
    /// </summary>
    protected bool Offence(in RuleFrame frame, Track track, DateTimeOffset start, in ViolationMeasurements measured)
    {
        var confidence = track.Confidence * track.ClassShare;
        if (track.Confidence < Options.MinConfidence)
        {
            return false;
        }

        _fired.Add(track.Id);
        var now = frame.Time.Wall;
        if (now - _lastEvent < TimeSpan.FromSeconds(Options.CooldownSeconds))
        {
            Interlocked.Increment(ref _suppressed);
            return true;
        }

        _lastEvent = now;
        Interlocked.Increment(ref _events);
        _output.Add(new ViolationEvent
        {
            RuleId = Id,
            Kind = Kind,
            CameraId = frame.CameraId,
            TrackId = track.Id,
            Class = track.Class,
            WindowStart = start,
            WindowEnd = now,
            Boxes = track.HistorySince(start),
            FrameWidth = frame.Width,
            FrameHeight = frame.Height,
            Confidence = confidence,
            DwellSeconds = measured.DwellSeconds,
            SpeedKmh = measured.SpeedKmh,
            SpeedUncertaintyKmh = measured.SpeedUncertaintyKmh,
            Signal = measured.Signal,
            RedSeconds = measured.RedSeconds,
            WrongWayTravel = measured.WrongWayTravel,
        });
        return true;
    }
}
