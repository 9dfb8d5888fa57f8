using System.Text;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>
/// ffmpeg's stderr echoes what a camera sends (SDP fields, stream metadata, error text), so the parser sees
/// attacker-shaped lines. Mangled lines never throw.
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
    public void Feed_MangledLines_NeverThrows()
    {
        var random = new Random(3);
        var parser = new FfmpegLogParser();
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

            Assert.DoesNotThrow(() => parser.Feed(line.ToString()), line.ToString());
        }
    }
}
