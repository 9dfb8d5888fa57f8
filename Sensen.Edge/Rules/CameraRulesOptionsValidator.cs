using Sensen.Edge.Configuration;

namespace Sensen.Edge.Rules;

/// <summary>Checks of one camera's zones, lines and rules: ids, geometry, references, what each rule type needs.</summary>
internal static class CameraRulesOptionsValidator
{
    /// <param name="path">The camera's key path, <c>cameras[i]</c> (the keys sit in the camera's mapping).</param>
    /// <param name="cameraId">The camera's id, named in messages about references.</param>
    public static void Validate(ValidationContext context, string path, string cameraId, CameraRulesOptions camera)
    {
        context.CheckUnique($"{path}.zones", camera.Zones.Select(z => z.Id));
        for (var i = 0; i < camera.Zones.Count; i++)
        {
            var zone = camera.Zones[i];
            context.CheckIdentifier($"{path}.zones[{i}].id", zone.Id);
            CheckPolygon(context, $"{path}.zones[{i}].polygon", zone.Polygon);
        }

        context.CheckUnique($"{path}.lines", camera.Lines.Select(l => l.Id));
        for (var i = 0; i < camera.Lines.Count; i++)
        {
            var line = camera.Lines[i];
            context.CheckIdentifier($"{path}.lines[{i}].id", line.Id);
            CheckPoint(context, $"{path}.lines[{i}].from", line.From);
            CheckPoint(context, $"{path}.lines[{i}].to", line.To);
            if (line.From == line.To)
            {
                context.Error($"{path}.lines[{i}].to", "a line needs two different points");
            }
        }

        context.CheckUnique($"{path}.rules", camera.Rules.Select(r => r.Id));
        for (var i = 0; i < camera.Rules.Count; i++)
        {
            CheckRule(context, $"{path}.rules[{i}]", cameraId, camera, camera.Rules[i]);
        }
    }

    private static void CheckPolygon(ValidationContext context, string path, IReadOnlyList<NormalizedPoint> polygon)
    {
        if (polygon.Count < 3)
        {
            context.Error(path, $"a polygon needs at least 3 points, got {polygon.Count}");
            return;
        }

        var inRange = true;
        for (var i = 0; i < polygon.Count; i++)
        {
            inRange &= CheckPoint(context, $"{path}[{i}]", polygon[i]);
        }

        if (!inRange)
        {
            return;
        }

        if (!PolygonGeometry.IsSimple(polygon))
        {
            context.Error(path, "the polygon crosses itself; list its corners in order around the edge");
        }
        else if (Math.Abs(PolygonGeometry.SignedArea2(polygon)) < 1e-9)
        {
            context.Error(path, "the polygon has no area (its points lie on one line)");
        }
    }

    private static bool CheckPoint(ValidationContext context, string path, NormalizedPoint point)
    {
        if (point.X is >= 0 and <= 1 && point.Y is >= 0 and <= 1)
        {
            return true;
        }

        context.Error(path, $"point [{point.X}, {point.Y}] is outside the image; coordinates are fractions of width and height, from 0 to 1");
        return false;
    }

    /// <summary>Speed is distance over the time between two crossings: the same line twice measures nothing.</summary>
    private static void CheckTwoLines(ValidationContext context, string path, CameraRulesOptions camera, RuleOptions rule)
    {
        if (rule.Line is null || rule.SecondLine is null)
        {
            return;
        }

        if (rule.Line == rule.SecondLine)
        {
            context.Error($"{path}.second_line", $"'{rule.SecondLine}' is also 'line'; a speed rule times the crossing of two different lines");
            return;
        }

        var first = camera.Lines.FirstOrDefault(l => l.Id == rule.Line);
        var second = camera.Lines.FirstOrDefault(l => l.Id == rule.SecondLine);
        if (first is not null && second is not null
            && ((first.From == second.From && first.To == second.To) || (first.From == second.To && first.To == second.From)))
        {
            context.Error($"{path}.second_line", $"lines '{first.Id}' and '{second.Id}' lie on top of each other; a speed rule times the crossing of two different lines");
        }
    }

    private static void CheckRule(ValidationContext context, string path, string cameraId, CameraRulesOptions camera, RuleOptions rule)
    {
        context.CheckIdentifier($"{path}.id", rule.Id);
        var zones = camera.Zones.Select(z => z.Id).ToList();
        var lines = camera.Lines.Select(l => l.Id).ToList();
        context.CheckReference($"{path}.zone", rule.Zone, zones, "zone", cameraId);
        context.CheckReference($"{path}.line", rule.Line, lines, "line", cameraId);
        context.CheckReference($"{path}.second_line", rule.SecondLine, lines, "line", cameraId);

        if (rule.Type is null)
        {
            return; // reported as missing; nothing type-specific to check
        }

        var type = SnakeCase.From(rule.Type.Value.ToString());
        void Need(bool present, string key, string why)
        {
            if (!present)
            {
                context.Error($"{path}.{key}", $"a {type} rule needs '{key}' ({why})");
            }
        }

        switch (rule.Type)
        {
            case RuleKind.BusLane:
                Need(rule.Zone is not null, "zone", "the bus lane");
                break;
            case RuleKind.NoStopping:
                Need(rule.Zone is not null, "zone", "where stopping is forbidden");
                break;
            case RuleKind.RedLight:
                Need(rule.Line is not null, "line", "the stop line");
                Need(rule.Signal is not null, "signal", "the red lamp's region or an MQTT signal topic");
                Need(rule.Direction is not null, "direction", "which way across the stop line is controlled: forward or backward");
                if (rule.Signal is { } signal)
                {
                    if (signal.RedLampPolygon.Count == 0 && string.IsNullOrWhiteSpace(signal.Topic))
                    {
                        context.Error($"{path}.signal", "give either red_lamp_polygon or topic");
                    }
                    else if (signal.RedLampPolygon.Count > 0)
                    {
                        CheckPolygon(context, $"{path}.signal.red_lamp_polygon", signal.RedLampPolygon);
                    }

                    if (signal.Topic is { Length: > 0 } topic && (topic.IndexOfAny(['+', '#', '\0']) >= 0 || topic.StartsWith('$')))
                    {
                        // MQTT 5 §4.7: one feed is one topic name, not a filter; '$' topics are the broker's own.
                        context.Error($"{path}.signal.topic", $"'{topic}' is not a topic name (no wildcards '+' '#', not starting with '$')");
                    }
                }

                break;
            case RuleKind.WrongWay:
                Need(rule.Line is not null, "line", "the permitted direction of travel");
                Need(rule.Direction is not null, "direction", "which way across the line traffic may travel: forward or backward");
                break;
            case RuleKind.Speed:
                Need(rule.Line is not null, "line", "where timing starts");
                Need(rule.SecondLine is not null, "second_line", "where timing ends");
                Need(rule.DistanceMetres is not null, "distance_metres", "the surveyed distance between the lines");
                Need(rule.SpeedLimitKmh is not null, "speed_limit_kmh", "the posted limit");
                CheckTwoLines(context, path, camera, rule);
                break;
        }

        for (var i = 0; i < rule.Schedule.Count; i++)
        {
            if (!ScheduleWindow.TryParse(rule.Schedule[i], out _, out var error))
            {
                context.Error($"{path}.schedule[{i}]", error);
            }
        }
    }
}
