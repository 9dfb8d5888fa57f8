using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tests.Rules;

/// <summary>The rule checks this branch added, each from a file valid but for one mistake, pinned with its position.</summary>
public sealed class CameraRulesOptionsValidatorTests
{
    private const string Camera =
        "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n"
        + "    zones: [{id: z, polygon: [[0, 0], [1, 0], [1, 1]]}]\n"
        + "    lines: [{id: l, from: [0, 0.5], to: [1, 0.5]}, {id: m, from: [0, 0.8], to: [1, 0.8]}, {id: n, from: [1, 0.8], to: [0, 0.8]}]\n"
        + "    rules:\n";

    [TestCase("      - {id: r, type: red_light, line: l, signal: {topic: s}}\n", "8:9 cameras[0].rules[0].direction: a red_light rule needs 'direction' (which way across the stop line is controlled: forward or backward)")]
    [TestCase("      - {id: r, type: wrong_way, line: l}\n", "8:9 cameras[0].rules[0].direction: a wrong_way rule needs 'direction' (which way across the line traffic may travel: forward or backward)")]
    [TestCase("      - {id: r, type: speed, line: l, second_line: l, distance_metres: 20, speed_limit_kmh: 60}\n", "8:52 cameras[0].rules[0].second_line: 'l' is also 'line'; a speed rule times the crossing of two different lines")]
    [TestCase("      - {id: r, type: speed, line: m, second_line: n, distance_metres: 20, speed_limit_kmh: 60}\n", "8:52 cameras[0].rules[0].second_line: lines 'm' and 'n' lie on top of each other; a speed rule times the crossing of two different lines")]
    [TestCase("      - {id: r, type: speed, line: l, second_line: m, speed_limit_kmh: 60}\n", "8:9 cameras[0].rules[0].distance_metres: a speed rule needs 'distance_metres' (the surveyed distance between the lines)")]
    [TestCase("      - {id: r, type: bus_lane, zone: zz}\n", "8:39 cameras[0].rules[0].zone: unknown zone 'zz' (did you mean 'z'?); defined on camera 'c': z")]
    [TestCase("      - {id: r, type: wrong_way, line: l, direction: sideways}\n", "8:54 cameras[0].rules[0].direction: 'sideways' is not one of forward, backward")]
    [TestCase("      - {id: r, type: bus_lane, zone: z, reference_point: roof}\n", "8:59 cameras[0].rules[0].reference_point: 'roof' is not one of bottom_centre, centre, top_centre")]
    [TestCase("      - {id: r, type: bus_lane, zone: z, min_confidence: 2}\n", "8:58 cameras[0].rules[0].min_confidence: 2 is out of range (allowed 0 to 1)")]
    [TestCase("      - {id: r, type: bus_lane, zone: z, schedule: ['Mon-Fri 7-9']}\n", "8:53 cameras[0].rules[0].schedule[0]: 'Mon-Fri 7-9' is not a schedule window; write e.g. 'Mon-Fri 07:00-09:30' or 'Daily 22:00-06:00'")]
    public void Load_OneRuleMistake_PositionedMessage(string rule, string expected)
    {
        var errors = Load(Camera + rule);
        Assert.That(errors.Select(e => e.ToString()), Has.Some.EndsWith(expected), string.Join("\n", errors));
    }

    [Test]
    public void Load_EveryRuleKeyWritten_NoRuleErrors()
    {
        var errors = Load(Camera
            + "      - {id: r1, type: speed, line: l, second_line: m, distance_metres: 20, speed_limit_kmh: 60, tolerance_kmh: 2, direction: forward}\n"
            + "      - {id: r2, type: wrong_way, line: l, zone: z, direction: backward, min_travel: 0.2, cooldown_seconds: 10, min_confidence: 0.6, reference_point: centre}\n"
            + "      - {id: r3, type: red_light, line: l, direction: forward, signal: {red_lamp_polygon: [[0.4, 0.1], [0.5, 0.1], [0.5, 0.2]]}, schedule: ['Daily 22:00-06:00']}\n");
        Assert.That(errors.Where(e => e.Path.StartsWith("cameras[0].", StringComparison.Ordinal)), Is.Empty, string.Join("\n", errors));
    }

    private static List<ConfigError> Load(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-rules-");
        try
        {
            var path = Path.Combine(dir.FullName, "edge.yaml");
            File.WriteAllText(path, yaml);
            return ConfigLoader.Load(path).Errors.ToList();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
