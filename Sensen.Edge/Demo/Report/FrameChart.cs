using System.Globalization;
using System.Net;
using System.Text;

namespace Sensen.Edge.Demo.Report;

/// <summary>
/// The report's per-frame chart as inline SVG, one per camera: what the live path detected on each analysed
/// frame, what the clip path obscured on each clip frame (faces, bystander plates), the frames that joined a
/// clip (shaded) and the frames masked whole (black ticks). SVG, so the chart needs no image encoder and stays
/// sharp when an integrator prints the page.
/// </summary>
internal static class FrameChart
{
    private const int Width = 900;
    private const int Height = 180;
    private const int Left = 40;
    private const int Bottom = 24;

    public static string Svg(string cameraId, IReadOnlyList<DemoFrameStat> frames)
    {
        var c = CultureInfo.InvariantCulture;
        var plotWidth = Width - Left - 10;
        var plotHeight = Height - Bottom - 10;
        var maxSeconds = Math.Max(frames.Max(f => f.Seconds), 1e-3);
        var maxCount = Math.Max(1, frames.Max(f => Math.Max(f.Detections, Math.Max(f.FacesObscured, f.PlatesObscured))));
        double X(double seconds) => Left + (seconds / maxSeconds * plotWidth);
        double Y(int count) => 10 + plotHeight - ((double)count / maxCount * plotHeight);
        var step = frames.Count > 1 ? plotWidth / (double)frames.Count : 4;

        var svg = new StringBuilder();
        svg.Append(c, $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"frames of {WebUtility.HtmlEncode(cameraId)}\">");
        foreach (var f in frames.Where(f => f.InClip))
        {
            svg.Append(c, $"<rect x=\"{X(f.Seconds):0.#}\" y=\"10\" width=\"{Math.Max(step, 1):0.#}\" height=\"{plotHeight}\" fill=\"#fff3c4\"/>");
        }

        foreach (var f in frames.Where(f => f.MaskedWhole))
        {
            svg.Append(c, $"<rect x=\"{X(f.Seconds):0.#}\" y=\"{10 + plotHeight - 6}\" width=\"{Math.Max(step, 1):0.#}\" height=\"6\" fill=\"#000\"/>");
        }

        svg.Append(c, $"<line x1=\"{Left}\" y1=\"{10 + plotHeight}\" x2=\"{Width - 10}\" y2=\"{10 + plotHeight}\" stroke=\"#888\"/>");
        svg.Append(c, $"<line x1=\"{Left}\" y1=\"10\" x2=\"{Left}\" y2=\"{10 + plotHeight}\" stroke=\"#888\"/>");
        svg.Append(c, $"<text x=\"{Left - 6}\" y=\"16\" text-anchor=\"end\" font-size=\"11\">{maxCount}</text>");
        svg.Append(c, $"<text x=\"{Left - 6}\" y=\"{10 + plotHeight}\" text-anchor=\"end\" font-size=\"11\">0</text>");
        svg.Append(c, $"<text x=\"{Width - 10}\" y=\"{Height - 6}\" text-anchor=\"end\" font-size=\"11\">{maxSeconds:0.0} s</text>");
        svg.Append(c, $"<text x=\"{Left}\" y=\"{Height - 6}\" font-size=\"11\">0 s</text>");
        Series(svg, frames, f => f.Detections, "#555", X, Y);
        Series(svg, frames, f => f.FacesObscured, "#1f6fd1", X, Y);
        Series(svg, frames, f => f.PlatesObscured, "#e07b00", X, Y);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Series(StringBuilder svg, IReadOnlyList<DemoFrameStat> frames, Func<DemoFrameStat, int> value, string colour, Func<double, double> x, Func<int, double> y)
    {
        var points = string.Join(' ', frames.Select(f => string.Create(CultureInfo.InvariantCulture, $"{x(f.Seconds):0.#},{y(value(f)):0.#}")));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points}\"/>");
    }
}
