using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// red_light: the reference point crosses the stop line in the controlled direction while the signal is red.
/// The crossing instant is interpolated between the two frames around it, and it must come after the red
/// phase began: a vehicle that crossed on amber is not an offender when the lamp turns red behind it. An
/// unknown phase (no lamp reading yet, a silent controller feed) never raises an event.
/// </summary>
internal sealed class RedLightRule : RuleEvaluator
{
    private readonly LineOptions _line;
    private readonly ISignalPhaseSource _signal;

    public RedLightRule(RuleOptions options, RuleSchedule schedule, LineOptions line, ISignalPhaseSource signal)
        : base(options, schedule)
    {
        _line = line;
        _signal = signal;
    }

    public ISignalPhaseSource Signal => _signal;

    protected override void EvaluateTrack(in RuleFrame frame, Track track, bool scheduleActive)
    {
        if (!scheduleActive || track.HistoryCount < 2)
        {
            return;
        }

        ref readonly var before = ref track.History(track.HistoryCount - 2);
        ref readonly var after = ref track.History(track.HistoryCount - 1);
        if (!LineCrossing.TryCross(_line, Point(before.Box, frame), Point(after.Box, frame), out var fraction, out var direction)
            || direction != Options.Direction)
        {
            return;
        }

        var crossed = before.Time.Wall + ((after.Time.Wall - before.Time.Wall) * fraction);
        var reading = _signal.Read(frame.Time.Wall);
        if (reading.Phase == SignalPhase.Red && reading.Since <= crossed)
        {
            var start = crossed - CrossingLead > track.FirstSeen.Wall ? crossed - CrossingLead : track.FirstSeen.Wall;
            Offence(frame, track, start, new ViolationMeasurements(Signal: SignalPhase.Red, RedSeconds: (crossed - reading.Since).TotalSeconds));
        }
    }

    protected override void OnForget(long trackId)
    {
        // Nothing kept per track beyond the base class's once-per-track set.
    }
}
