using System.Runtime.InteropServices;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// no_stopping: stationary inside the zone for at least <c>dwell_seconds</c>. It fires once per stay: a parked
/// vehicle raises one event however long it stays (the repeated alerts for one parked car are a well-known
/// failure of open-source NVRs), and may raise another only after it has left the zone.
/// </summary>
internal sealed class NoStoppingRule : RuleEvaluator
{
    private readonly ZoneOptions _zone;
    private readonly Dictionary<long, Stay> _stays = new(64);

    public NoStoppingRule(RuleOptions options, RuleSchedule schedule, ZoneOptions zone)
        : base(options, schedule)
    {
        _zone = zone;
    }

    protected override bool OncePerTrack => false;

    protected override void EvaluateTrack(in RuleFrame frame, Track track, bool scheduleActive)
    {
        var now = frame.Time.Wall;
        var inZone = PolygonGeometry.Contains(_zone.Polygon, Point(track.Box, frame));
        ref var stay = ref CollectionsMarshal.GetValueRefOrAddDefault(_stays, track.Id, out _);
        if (stay.Presence.Update(inZone, now, ExitGrace))
        {
            stay = default; // left: the next stay may raise again
            return;
        }

        if (!inZone || !track.IsStationary || !scheduleActive)
        {
            // Creeping forward inside the zone restarts the stay's clock, but does not re-arm the rule.
            stay.StoppedAt = null;
            return;
        }

        var stopped = stay.StoppedAt ??= Later(Later(track.StationarySince.Wall, stay.Presence.EnteredAt ?? now), ActiveSince);
        if (!stay.Raised && (now - stopped).TotalSeconds >= Options.DwellSeconds)
        {
            stay.Raised = Offence(frame, track, stopped, new ViolationMeasurements(DwellSeconds: (now - stopped).TotalSeconds));
        }
    }

    protected override void OnForget(long trackId) => _stays.Remove(trackId);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private struct Stay
    {
        public ZonePresence Presence;
        public DateTimeOffset? StoppedAt;
        public bool Raised;
    }
}
