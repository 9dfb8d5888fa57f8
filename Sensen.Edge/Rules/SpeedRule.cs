using System.Runtime.InteropServices;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// speed: the time between crossing <c>line</c> and <c>second_line</c>, a surveyed <c>distance_metres</c> apart,
/// gives the mean speed; above <c>speed_limit_kmh</c> + <c>tolerance_kmh</c> it is an offence. Each crossing
/// instant is interpolated between frame timestamps. Its standard uncertainty combines the frame interval
/// (the instant lies somewhere in it: Δt/√12, GUM §4.3.7 for a rectangular distribution) and the geometry
/// (the reference point's position uncertainty over its speed across the line); the event states the
/// expanded uncertainty, k = 2. This is an average-speed estimate for screening, not a type-approved meter.
/// Without a <c>direction</c>, either line may come first.
/// </summary>
internal sealed class SpeedRule : RuleEvaluator
{
    private readonly LineOptions _first;
    private readonly LineOptions _second;
    private readonly Dictionary<long, Timing> _timings = new(64);

    public SpeedRule(RuleOptions options, RuleSchedule schedule, LineOptions first, LineOptions second)
        : base(options, schedule)
    {
        _first = first;
        _second = second;
    }

    protected override void EvaluateTrack(in RuleFrame frame, Track track, bool scheduleActive)
    {
        if (track.HistoryCount < 2)
        {
            return;
        }

        ref readonly var before = ref track.History(track.HistoryCount - 2);
        ref readonly var after = ref track.History(track.HistoryCount - 1);
        var p0 = Point(before.Box, frame);
        var p1 = Point(after.Box, frame);
        ref var timing = ref CollectionsMarshal.GetValueRefOrAddDefault(_timings, track.Id, out _);
        for (var which = 1; which <= 2; which++)
        {
            var line = which == 1 ? _first : _second;
            if (!LineCrossing.TryCross(line, p0, p1, out var fraction, out var direction)
                || (Options.Direction is { } wanted && direction != wanted))
            {
                continue;
            }

            var dt = (after.Time.Pts - before.Time.Pts).TotalSeconds;
            var crossing = new Crossing(
                before.Time.Pts.TotalSeconds + (dt * fraction),
                before.Time.Wall + ((after.Time.Wall - before.Time.Wall) * fraction),
                CrossingUncertainty(line, p0, p1, dt, track.PositionStd, frame));
            if (timing.FirstLine == 0)
            {
                // With a direction the measurement runs from line to second_line only.
                if (which == 1 || Options.Direction is null)
                {
                    timing = new Timing(which, crossing);
                }

                continue;
            }

            if (timing.FirstLine != which && timing.FirstLine > 0)
            {
                Measure(frame, track, timing.First, crossing, scheduleActive);
                timing = new Timing(-1, default);
            }
        }
    }

    protected override void OnForget(long trackId) => _timings.Remove(trackId);

    /// <summary>Standard uncertainty of one crossing instant, seconds.</summary>
    private static double CrossingUncertainty(LineOptions line, NormalizedPoint p0, NormalizedPoint p1, double dt, double positionStd, in RuleFrame frame)
    {
        var interval = dt / Math.Sqrt(12);
        var across = Math.Abs(LineCrossing.DistancePixels(line, p1, frame.Width, frame.Height) - LineCrossing.DistancePixels(line, p0, frame.Width, frame.Height)) / Math.Max(dt, 1e-6);
        var geometry = across > 0 ? positionStd / across : interval;
        return Math.Sqrt((interval * interval) + (geometry * geometry));
    }

    private void Measure(in RuleFrame frame, Track track, Crossing first, Crossing second, bool scheduleActive)
    {
        var seconds = second.Pts - first.Pts;
        if (seconds <= 0 || !scheduleActive)
        {
            return;
        }

        var kmh = Options.DistanceMetres!.Value / seconds * 3.6;
        var u = Math.Sqrt((first.Uncertainty * first.Uncertainty) + (second.Uncertainty * second.Uncertainty));
        var expanded = 2 * kmh * u / seconds;
        if (kmh > Options.SpeedLimitKmh!.Value + Options.ToleranceKmh)
        {
            Offence(frame, track, first.Wall, new ViolationMeasurements(SpeedKmh: kmh, SpeedUncertaintyKmh: expanded));
        }
    }

    private readonly record struct Crossing(double Pts, DateTimeOffset Wall, double Uncertainty);

    /// <summary>FirstLine: 0 none yet, 1 or 2 the line crossed first, −1 measured.</summary>
    private readonly record struct Timing(int FirstLine, Crossing First);
}
