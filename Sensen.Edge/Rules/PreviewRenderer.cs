using System.Globalization;
using Sensen.Edge.Detection;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// Draws the installer's calibration picture: zones, lines with the direction each rule uses, lamp regions
/// with their state, detections, and tracks with ids and trails, over a canvas that is never the raw frame
/// (<see cref="PreviewCanvas"/>), with a banner saying what the background is.
/// </summary>
internal static class PreviewRenderer
{
    private static readonly (byte, byte, byte) ZoneColour = (255, 200, 0);
    private static readonly (byte, byte, byte) LineColour = (0, 220, 255);
    private static readonly (byte, byte, byte) DetectionColour = (200, 200, 200);
    private static readonly (byte, byte, byte) TrackColour = (80, 255, 80);
    private static readonly (byte, byte, byte) White = (255, 255, 255);

    public static void Draw(PreviewCanvas canvas, CameraRulesOptions camera, CameraRules rules, IReadOnlyList<Track> tracks, IReadOnlyList<DetectedObject> detections, DateTimeOffset now, string? note)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var zone in camera.Zones)
        {
            canvas.Polygon(zone.Polygon, ZoneColour);
            var p = zone.Polygon[0];
            canvas.Text((int)(p.X * canvas.Width) + 4, (int)(p.Y * canvas.Height) - 20, "ZONE " + zone.Id, ZoneColour);
        }

        foreach (var line in camera.Lines)
        {
            var (x0, y0, x1, y1) = (line.From.X * canvas.Width, line.From.Y * canvas.Height, line.To.X * canvas.Width, line.To.Y * canvas.Height);
            canvas.Line(x0, y0, x1, y1, LineColour, 3);
            canvas.Text((int)x0 + 4, (int)y0 + 6, "LINE " + line.Id, LineColour);
            foreach (var rule in camera.Rules.Where(r => r.Line == line.Id && r.Direction is not null))
            {
                Arrow(canvas, x0, y0, x1, y1, rule.Direction!.Value, rule.Id);
            }
        }

        foreach (var (rule, lamp) in rules.Lamps)
        {
            var reading = lamp.Read(now);
            var colour = reading.Phase switch
            {
                SignalPhase.Red => ((byte)0, (byte)0, (byte)255),
                SignalPhase.NotRed => ((byte)120, (byte)120, (byte)120),
                _ => White,
            };
            canvas.Polygon(rule.Signal!.RedLampPolygon, colour, 3);
            var p = rule.Signal.RedLampPolygon[0];
            var state = reading.Phase == SignalPhase.Red
                ? string.Create(c, $"LAMP RED FOR {(now - reading.Since).TotalSeconds:0.0} S")
                : reading.Phase == SignalPhase.NotRed ? "LAMP NOT RED" : "LAMP UNKNOWN";
            canvas.Text((int)(p.X * canvas.Width), (int)(p.Y * canvas.Height) + 30, state, colour);
        }

        foreach (var d in detections)
        {
            Box(canvas, d.Box, DetectionColour, 1);
        }

        foreach (var track in tracks)
        {
            for (var i = 1; i < track.HistoryCount; i++)
            {
                var a = track.History(i - 1).Box;
                var b = track.History(i).Box;
                canvas.Line((a.X1 + a.X2) / 2, a.Y2, (b.X1 + b.X2) / 2, b.Y2, TrackColour, 2);
            }

            Box(canvas, track.Box, TrackColour, 2);
            var label = string.Create(c, $"#{track.Id} {track.Class}{(track.IsStationary ? " STOPPED" : "")}");
            canvas.Text((int)track.Box.X1, (int)track.Box.Y1 - 20, label, TrackColour);
        }

        var banner = canvas.Anonymised
            ? "PREVIEW ON THE FRAME ANONYMISED BY THE CLIP PATH: FACES HEADS AND PLATES OBSCURED"
            : canvas.FromFrame
            ? "PREVIEW ON A PIXELATED, DIMMED COPY OF THE FRAME: NO FACE OR PLATE CAN BE SEEN"
            : "PREVIEW ON A BLANK CANVAS: NO CAMERA PICTURE";
        canvas.Text(4, 4, banner, White);
        if (note is not null)
        {
            canvas.Text(4, 26, note, White);
        }
    }

    private static void Box(PreviewCanvas canvas, BoxF box, (byte, byte, byte) colour, int thickness)
    {
        canvas.Line(box.X1, box.Y1, box.X2, box.Y1, colour, thickness);
        canvas.Line(box.X2, box.Y1, box.X2, box.Y2, colour, thickness);
        canvas.Line(box.X2, box.Y2, box.X1, box.Y2, colour, thickness);
        canvas.Line(box.X1, box.Y2, box.X1, box.Y1, colour, thickness);
    }

    /// <summary>An arrow from the line's midpoint along its normal: right of the line for forward (y down).</summary>
    private static void Arrow(PreviewCanvas canvas, double x0, double y0, double x1, double y1, LineDirection direction, string ruleId)
    {
        var (mx, my) = ((x0 + x1) / 2, (y0 + y1) / 2);
        var (dx, dy) = (x1 - x0, y1 - y0);
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        var sign = direction == LineDirection.Forward ? 1 : -1;
        var (nx, ny) = (sign * -dy / length, sign * dx / length);
        const double size = 40;
        var (tx, ty) = (mx + (nx * size), my + (ny * size));
        canvas.Line(mx, my, tx, ty, LineColour, 3);
        canvas.Line(tx, ty, tx - (nx * 12) + (ny * 8), ty - (ny * 12) - (nx * 8), LineColour, 3);
        canvas.Line(tx, ty, tx - (nx * 12) - (ny * 8), ty - (ny * 12) + (nx * 8), LineColour, 3);
        canvas.Text((int)tx + 6, (int)ty, ruleId, LineColour);
    }
}
