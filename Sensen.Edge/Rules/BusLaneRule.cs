using System.Runtime.InteropServices;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// bus_lane: a listed class with its reference point inside the lane for at least <c>dwell_seconds</c> while the
/// schedule is in force. Time outside the schedule does not count towards the dwell.
/// </summary>
internal sealed class BusLaneRule : RuleEvaluator
{
    private readonly ZoneOptions _zone;
    private readonly Dictionary<long, ZonePresence> _presence = new(64);

    public BusLaneRule(RuleOptions options, RuleSchedule schedule, ZoneOptions zone)
        : base(options, schedule)
    {
        _zone = zone;
    }

    protected override void EvaluateTrack(in RuleFrame frame, Track track, bool scheduleActive)
    {
        var now = frame.Time.Wall;
        var inside = scheduleActive && PolygonGeometry.Contains(_zone.Polygon, Point(track.Box, frame));
        ref var presence = ref CollectionsMarshal.GetValueRefOrAddDefault(_presence, track.Id, out _);
        presence.Update(inside, now, ExitGrace);
        if (inside && presence.EnteredAt is { } entered && (now - entered).TotalSeconds >= Options.DwellSeconds)
        {
            Offence(frame, track, entered, new ViolationMeasurements(DwellSeconds: (now - entered).TotalSeconds));
        }
    }

    protected override void OnForget(long trackId) => _presence.Remove(trackId);
}
