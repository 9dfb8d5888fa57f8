using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Sensen.Edge.Demo.Report;

/// <summary>
/// Writes the report page: self-contained HTML (inline CSS and SVG, PNG stills beside it), every value
/// HTML-encoded. A small script counts the images that loaded, shows the count on the page and marks a missing
/// one where it should be, so a broken report says so rather than showing a blank space; the headless-browser
/// test reads the same count.
/// </summary>
internal static class ReportHtml
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
        table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
        th{background:#f2f2f2}.stills{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0;width:320px}
        figure img{width:320px;border:1px solid #999}figcaption{font-size:.85em}.item{border-top:2px solid #333;margin-top:2em}
        .missing{color:#b00;font-weight:bold}.legend span{display:inline-block;margin-right:1.2em}.sw{width:14px;height:4px;display:inline-block;margin-right:4px;vertical-align:middle}
        pre{background:#f7f7f7;padding:1em;overflow:auto;max-height:30em}code{font-size:.9em}
        """;

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private const string ImageCheck = """
        window.addEventListener('load', function () {
          var images = Array.prototype.slice.call(document.images), loaded = 0;
          images.forEach(function (i) {
            if (i.complete && i.naturalWidth > 0) { loaded++; return; }
            var p = document.createElement('p'); p.className = 'missing'; p.textContent = 'image missing: ' + i.getAttribute('src');
            i.parentNode.insertBefore(p, i.nextSibling);
          });
          document.body.setAttribute('data-images-total', images.length);
          document.body.setAttribute('data-images-loaded', loaded);
          document.getElementById('image-status').textContent = loaded + ' of ' + images.length + ' images loaded';
        });
        """;

    public static string Render(DemoReportInput input, IReadOnlyList<ReportItem> items, IReadOnlyList<string> problems, DateTimeOffset generatedAt)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sensen.Edge demo report</title><style>")
            .Append(Style).Append("</style></head><body>\n");
        h.Append("<h1>Sensen.Edge demo report</h1>\n<p>Generated ").Append(E(generatedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)))
            .Append(". <span id=\"image-status\">images not checked (scripts off)</span>.</p>\n");

        h.Append("<h2>Summary</h2>\n<table>");
        foreach (var (label, value) in input.Summary)
        {
            h.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }

        h.Append("</table>\n");
        Expected(h, input, items);
        foreach (var problem in problems)
        {
            h.Append("<p class=\"missing\">").Append(E(problem)).Append("</p>\n");
        }

        h.Append("<h2>Evidence as the city received it</h2>\n");
        if (items.Count == 0)
        {
            h.Append("<p class=\"missing\">The receiver holds no evidence.</p>\n");
        }

        foreach (var item in items)
        {
            Item(h, item);
        }

        Charts(h, input.Frames);
        h.Append("<h2>Telemetry snapshot</h2>\n");
        h.Append(input.TelemetrySnapshotJson is { } telemetry ? "<pre>" + E(Indented(telemetry)) + "</pre>\n" : "<p>No telemetry message arrived during the demo.</p>\n");
        h.Append("<script>").Append(ImageCheck).Append("</script>\n</body></html>\n");
        return h.ToString();
    }

    private static void Expected(StringBuilder h, DemoReportInput input, IReadOnlyList<ReportItem> items)
    {
        var caught = items.SelectMany(i => i.Manifest.Events).GroupBy(e => e.RuleId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rules = input.Expected.Select(e => (e.RuleId, e.RuleType)).Concat(items.SelectMany(i => i.Manifest.Events).Select(e => (e.RuleId, e.RuleType))).Distinct().OrderBy(r => r.RuleId, StringComparer.Ordinal);
        h.Append("<h2>What the scene contained, and what was caught</h2>\n<table><tr><th>rule</th><th>type</th><th>violations in the scene</th><th>events in received evidence</th></tr>");
        foreach (var (ruleId, ruleType) in rules)
        {
            var expected = input.Expected.Count(e => e.RuleId == ruleId);
            h.Append("<tr><td>").Append(E(ruleId)).Append("</td><td>").Append(E(ruleType)).Append("</td><td>").Append(expected)
                .Append("</td><td>").Append(caught.GetValueOrDefault(ruleId)).Append("</td></tr>");
        }

        h.Append("</table>\n");
    }

    private static void Item(StringBuilder h, ReportItem item)
    {
        var m = item.Manifest;
        h.Append("<section class=\"item\"><h3>").Append(E(m.RuleType)).Append(" — ").Append(E(m.CameraId)).Append(" — <code>").Append(E(m.EvidenceId)).Append("</code></h3>\n<table>");
        Row(h, "rule", m.RuleId);
        Row(h, "event", $"{m.EventStart} → {m.EventEnd}");
        Row(h, "clip", $"{m.ClipStart} → {m.ClipEnd}, {m.Video.Frames} frames {m.Video.Width}×{m.Video.Height}, {m.Video.Encoder}");
        foreach (var e in m.Events)
        {
            Row(h, "event " + e.RuleId, $"{e.Class} #{e.TrackId}, confidence {e.ConfidencePermille / 1000.0:0.000}" + (e.DwellMilliseconds is { } d ? $", dwell {d / 1000.0:0.0} s" : "") + (e.Signal is { } s ? $", signal {s}" : ""));
        }

        Row(h, "plate read", m.Plate is { } p ? $"{p.Text} (track #{p.TrackId}, confidence {p.ConfidencePermille / 1000.0:0.000}, frame {p.FrameSequence})" : "none");
        var a = m.Anonymisation;
        Row(h, "obscured", $"{a.FacesObscured} faces, {a.PlatesObscured} bystander plates, {a.FramesMaskedWhole} of {a.Frames} frames masked whole" +
            (a.MaskedWholeReasons.Count > 0 ? " (" + string.Join(", ", a.MaskedWholeReasons.Select(r => $"{r.Key}: {r.Value}")) + ")" : "") + $", method {a.Method}");
        Row(h, "stream health", $"{m.StreamHealth.FramesAnalysed} analysed, {m.StreamHealth.FramesDropped} dropped, {m.StreamHealth.Reconnects} reconnects, {m.StreamHealth.StalledMilliseconds} ms stalled");
        h.Append("</table>\n<div class=\"stills\">");
        foreach (var still in item.Stills)
        {
            h.Append("<figure><img src=\"").Append(E(still.File)).Append("\" alt=\"").Append(E(still.Caption)).Append("\"><figcaption>frame ").Append(still.FrameIndex)
                .Append(": ").Append(E(still.Caption)).Append(still.BoxDrawn ? " (red: the offender's box as the manifest states it)" : "").Append("</figcaption></figure>");
        }

        h.Append("</div>\n<details><summary>Every manifest field (signed by the device)</summary><table>");
        using (var doc = JsonDocument.Parse(item.ManifestJson))
        {
            Flatten(h, "", doc.RootElement);
        }

        h.Append("</table></details></section>\n");
    }

    private static void Charts(StringBuilder h, IReadOnlyList<DemoFrameStat> frames)
    {
        h.Append("<h2>Per frame: detected and obscured</h2>\n<p class=\"legend\"><span><i class=\"sw\" style=\"background:#555\"></i>live-path detections</span>")
            .Append("<span><i class=\"sw\" style=\"background:#1f6fd1\"></i>faces obscured</span><span><i class=\"sw\" style=\"background:#e07b00\"></i>bystander plates obscured</span>")
            .Append("<span><i class=\"sw\" style=\"background:#fff3c4;height:10px\"></i>frame in a clip</span><span><i class=\"sw\" style=\"background:#000\"></i>masked whole</span></p>\n");
        if (frames.Count == 0)
        {
            h.Append("<p>No per-frame figures were collected.</p>\n");
            return;
        }

        foreach (var camera in frames.GroupBy(f => f.CameraId, StringComparer.Ordinal))
        {
            var list = camera.OrderBy(f => f.Sequence).ToList();
            h.Append("<h3>").Append(E(camera.Key)).Append("</h3>\n<p>")
                .Append(list.Count).Append(" analysed frames, ").Append(list.Count(f => f.InClip)).Append(" in clips, ")
                .Append(list.Sum(f => f.FacesObscured)).Append(" face and ").Append(list.Sum(f => f.PlatesObscured)).Append(" plate regions obscured, ")
                .Append(list.Count(f => f.MaskedWhole)).Append(" masked whole.</p>\n")
                .Append(FrameChart.Svg(camera.Key, list)).Append('\n');
        }
    }

    private static void Flatten(StringBuilder h, string path, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    Flatten(h, path.Length == 0 ? p.Name : path + "." + p.Name, p.Value);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var v in element.EnumerateArray())
                {
                    Flatten(h, $"{path}[{i++}]", v);
                }

                break;
            default:
                Row(h, path, element.ToString());
                break;
        }
    }

    private static string Indented(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, IndentedJson);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static void Row(StringBuilder h, string label, string value) =>
        h.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
