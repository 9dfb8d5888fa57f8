using System.Runtime.InteropServices;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// wrong_way: the line's <c>direction</c> is the permitted direction of travel (crossing it that way is
/// legal). A track whose net motion, projected on the line's normal, goes the other way by at least
/// <c>min_travel</c> (image fractions) offends. With a zone, only motion inside the zone counts, measured from
/// where the track entered it. Net motion, not a single step, so a jittering parked car never offends.
/// </summary>
internal sealed class WrongWayRule : RuleEvaluator
{
    private readonly ZoneOptions? _zone;
    private readonly double _nx;
    private readonly double _ny;
    private readonly Dictionary<long, Start> _starts = new(64);

    public WrongWayRule(RuleOptions options, RuleSchedule schedule, LineOptions line, ZoneOptions? zone)
        : base(options, schedule)
    {
        _zone = zone;

        // Side() grows along (−dy, dx): that normal points from the line's left to its right, "forward".
        var dx = line.To.X - line.From.X;
        var dy = line.To.Y - line.From.Y;
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        var sign = options.Direction == LineDirection.Backward ? -1 : 1;
        _nx = sign * -dy / length;
        _ny = sign * dx / length;
    }

    protected override void EvaluateTrack(in RuleFrame frame, Track track, bool scheduleActive)
    {
        var now = frame.Time.Wall;
        var p = Point(track.Box, frame);
        if (!scheduleActive || (_zone is not null && !PolygonGeometry.Contains(_zone.Polygon, p)))
        {
            _starts.Remove(track.Id);
            return;
        }

        ref var start = ref CollectionsMarshal.GetValueRefOrAddDefault(_starts, track.Id, out var existed);
        if (!existed)
        {
            start = new Start(p, now);
            return;
        }

        var travel = ((p.X - start.Point.X) * _nx) + ((p.Y - start.Point.Y) * _ny);
        if (-travel >= Options.MinTravel)
        {
            Offence(frame, track, start.Time, new ViolationMeasurements(WrongWayTravel: -travel));
        }
    }

    protected override void OnForget(long trackId) => _starts.Remove(trackId);

    private readonly record struct Start(NormalizedPoint Point, DateTimeOffset Time);
}
