using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>
/// The telemetry message's field paths (<c>cameras.*.fps_received</c>), map sections' keys (camera, detector, rule,
/// thermal zone ids) written <c>*</c>, for comparing docs/TELEMETRY.md's example with what the code publishes.
/// </summary>
internal static partial class TelemetrySchema
{
    private static readonly string[] MapSections = ["cameras", "detectors", "cameras.*.violations_today", "host.temperatures_c"];

    public static SortedSet<string> Paths(JsonNode node)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(node, "", paths);
        return paths;
    }

    /// <summary>The first JSON block after the "Telemetry message" heading.</summary>
    public static JsonNode DocumentedExample()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "TELEMETRY.md"));
        var section = text[text.IndexOf("## Telemetry message", StringComparison.Ordinal)..];
        return JsonNode.Parse(JsonBlock().Match(section).Groups["json"].Value)!;
    }

    private static void Walk(JsonNode? node, string path, SortedSet<string> paths)
    {
        if (node is not JsonObject obj)
        {
            paths.Add(path);
            return;
        }

        if (path.Length > 0 && obj.Count == 0)
        {
            paths.Add(path);
            return;
        }

        var isMap = MapSections.Contains(path);
        foreach (var (key, value) in obj)
        {
            var child = path.Length == 0 ? key : $"{path}.{(isMap ? "*" : key)}";
            if (isMap && value is not JsonObject)
            {
                paths.Add(child);
                continue;
            }

            Walk(value, child, paths);
        }
    }

    [GeneratedRegex("```json\\n(?<json>.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
