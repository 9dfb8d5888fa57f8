using Sensen.Edge.Frames;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// One camera's rules, built from its validated options: evaluators with their zones, lines, schedules in the
/// device's time zone, and signal sources (a lamp classifier per lamp region, a shared feed per MQTT topic).
/// </summary>
internal sealed class CameraRules
{
    private readonly RuleEvaluator[] _rules;
    private readonly List<(RuleOptions Rule, LampSignalClassifier Lamp)> _lamps = [];

    public CameraRules(string cameraId, CameraRulesOptions camera, TimeZoneInfo timeZone, SignalFeeds feeds)
    {
        CameraId = cameraId;
        var rules = new List<RuleEvaluator>(camera.Rules.Count);
        foreach (var rule in camera.Rules)
        {
            var schedule = RuleSchedule.Parse(rule.Schedule, timeZone);
            var zone = rule.Zone is null ? null : camera.Zones.Single(z => z.Id == rule.Zone);
            var line = rule.Line is null ? null : camera.Lines.Single(l => l.Id == rule.Line);
            RuleEvaluator evaluator = rule.Type switch
            {
                RuleKind.BusLane => new BusLaneRule(rule, schedule, zone!),
                RuleKind.NoStopping => new NoStoppingRule(rule, schedule, zone!),
                RuleKind.RedLight => new RedLightRule(rule, schedule, line!, SignalFor(rule, feeds)),
                RuleKind.WrongWay => new WrongWayRule(rule, schedule, line!, zone),
                RuleKind.Speed => new SpeedRule(rule, schedule, line!, camera.Lines.Single(l => l.Id == rule.SecondLine)),
                _ => throw new ArgumentOutOfRangeException(nameof(camera), rule.Type, "unknown rule type"),
            };
            rules.Add(evaluator);
        }

        _rules = [.. rules];
    }

    public string CameraId { get; }

    public IReadOnlyList<RuleEvaluator> Rules => _rules;

    /// <summary>The lamp regions read from the image, with the rule that owns each.</summary>
    public IReadOnlyList<(RuleOptions Rule, LampSignalClassifier Lamp)> Lamps => _lamps;

    /// <summary>Reads the lamp regions of one frame (every frame, detected or not: the lamp changes between detections).</summary>
    public void Observe(Frame frame)
    {
        foreach (var (_, lamp) in _lamps)
        {
            lamp.Observe(frame.Pixels, frame.Width, frame.Height, frame.Format, frame.CaptureTime);
        }
    }

    /// <summary>Evaluates every rule on the frame's confirmed tracks; events are appended to <paramref name="events"/>.</summary>
    public void Evaluate(in RuleFrame frame, IReadOnlyList<Track> tracks, IReadOnlyList<long> removed, List<ViolationEvent> events)
    {
        foreach (var rule in _rules)
        {
            for (var i = 0; i < removed.Count; i++)
            {
                rule.Forget(removed[i]);
            }

            rule.Evaluate(frame, tracks, events);
        }
    }

    private ISignalPhaseSource SignalFor(RuleOptions rule, SignalFeeds feeds)
    {
        var signal = rule.Signal!;
        if (signal.RedLampPolygon.Count > 0)
        {
            var lamp = new LampSignalClassifier(signal.RedLampPolygon);
            _lamps.Add((rule, lamp));
            return lamp;
        }

        return feeds.For(signal.Topic!);
    }
}
