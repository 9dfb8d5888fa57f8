using System.Text;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>
/// ffmpeg's stderr echoes what a camera sends (SDP fields, stream metadata, error text), so the parser sees
/// attacker-shaped lines. Every mangled line ends in a diagnostic of a known kind or in nothing; no exception escapes.
/// </summary>
public sealed class FfmpegLogParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "[info] Input #0, rtsp, from 'rtsp://127.0.0.1:8554/cam':",
        "[info]   Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720 [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 90k tbn",
        "[info]   Stream #0:0 -> #0:0 (h264 (native) -> rawvideo (native))",
        "[Parsed_scale_1 @ 0x55] [verbose] w:1920 h:1080 fmt:yuv420p sar:1/1 -> w:1280 h:720 fmt:bgr24 sar:1/1 flags:0x0",
        "[h264 @ 0x56007d8b4100] [error] error while decoding MB 10 4",
        "[rtsp @ 0x5621a03a99c0] [error] method DESCRIBE failed: 401 Unauthorized",
        "[info] Output #0, rawvideo, to 'pipe:':",
    ];

    [Test]
    public void Feed_MangledLines_EachEndsInADiagnosticOrNothing()
    {
        var random = new Random(3);
        var parser = new FfmpegLogParser();
        var failures = new List<string>();
        var diagnostics = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var line = new StringBuilder(Seeds[random.Next(Seeds.Length)]);
            for (var m = random.Next(1, 5); m > 0 && line.Length > 0; m--)
            {
                var at = random.Next(line.Length);
                switch (random.Next(3))
                {
                    case 0:
                        line[at] = (char)random.Next(1, 0x3000);
                        break;
                    case 1:
                        line.Remove(at, Math.Min(random.Next(1, 12), line.Length - at));
                        break;
                    default:
                        line.Insert(at, random.Next(5) switch { 0 => "99999999999999999999", 1 => "x", 2 => "[", 3 => "]", _ => ":" });
                        break;
                }
            }

            var text = line.ToString();
            try
            {
                // Classified: nothing, or a diagnostic of a known kind about this very line.
                if (parser.Feed(text) is { } diagnostic)
                {
                    diagnostics++;
                    if (!Enum.IsDefined(diagnostic.Kind) || diagnostic.Line != text)
                    {
                        failures.Add($"unclassified diagnostic {diagnostic} for: {text}");
                    }
                }

                if (parser.Stream is { } stream && (stream.Width <= 0 || stream.Height <= 0 || stream.Fps is <= 0 or double.NaN))
                {
                    failures.Add($"impossible stream {stream} after: {text}");
                }
            }
            catch (Exception e)
            {
                failures.Add($"{e.GetType().Name} escaped for: {text}");
            }
        }

        Assert.That(failures, Is.Empty);
        Assert.That(diagnostics, Is.GreaterThan(100), "the mangled lines must still reach the classifier");
    }
}
