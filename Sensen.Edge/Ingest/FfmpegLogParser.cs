using System.Globalization;
using System.Text.RegularExpressions;

namespace Sensen.Edge.Ingest;

/// <summary>
/// Reads ffmpeg's stderr one line at a time and says what it means: the input's video stream
/// (codec, size, fps), picture-size changes, and classified failures. Holds only the state one
/// ffmpeg run needs (which section it is in, the last picture size), so one parser serves one run.
/// The patterns were taken from ffmpeg 5.1's output for each case; the tests replay recorded lines.
/// </summary>
internal sealed partial class FfmpegLogParser
{
    private bool _inInput;
    private (int Width, int Height)? _decodedSize;

    /// <summary>The input's first video stream, once ffmpeg has printed the input section.</summary>
    public StreamInfo? Stream { get; private set; }

    /// <summary>The first failure that explains why a run ended (refused, 404, 401, no video…).</summary>
    public DiagnosticKind? Fatal { get; private set; }

    /// <summary>Feeds one (redacted) line; returns the diagnostic it carries, if any.</summary>
    public FfmpegDiagnostic? Feed(string line)
    {
        var parsed = FfmpegLogLine.Parse(line);
        var text = parsed.Text;

        if (text.StartsWith("Input #", StringComparison.Ordinal))
        {
            _inInput = true;
            return null;
        }

        if (text.StartsWith("Output #", StringComparison.Ordinal) || text.StartsWith("Stream mapping:", StringComparison.Ordinal))
        {
            _inInput = false;
            return null;
        }

        if (_inInput && Stream is null && TryParseVideoStream(text, out var stream))
        {
            Stream = stream;
            _decodedSize = (stream.Width, stream.Height);
            return null;
        }

        if (TryParseFilterInputSize(parsed, out var size))
        {
            var previous = _decodedSize;
            _decodedSize = size;
            if (previous is { } p && p != size)
            {
                if (Stream is not null)
                {
                    Stream = Stream with { Width = size.Width, Height = size.Height };
                }

                return new FfmpegDiagnostic(DiagnosticKind.ResolutionChanged, $"picture size changed from {p.Width}x{p.Height} to {size.Width}x{size.Height}");
            }

            return null;
        }

        if (Classify(parsed) is not { } kind)
        {
            return null;
        }

        if (kind is not (DiagnosticKind.CorruptStream or DiagnosticKind.ResolutionChanged))
        {
            Fatal ??= kind;
        }

        return new FfmpegDiagnostic(kind, line);
    }

    /// <summary>What a single line says, independent of any state; null for the ordinary chatter.</summary>
    public static DiagnosticKind? Classify(FfmpegLogLine line)
    {
        var text = line.Text;
        if (Contains(text, "Connection refused"))
        {
            return DiagnosticKind.ConnectionRefused;
        }

        if (Contains(text, "Failed to resolve hostname") || Contains(text, "Name or service not known")
            || Contains(text, "Temporary failure in name resolution") || Contains(text, "No address associated with hostname"))
        {
            return DiagnosticKind.UnknownHost;
        }

        if (Contains(text, "404 Not Found"))
        {
            return DiagnosticKind.NotFound;
        }

        if (Contains(text, "401 Unauthorized") || Contains(text, "403 Forbidden"))
        {
            return DiagnosticKind.Unauthorized;
        }

        if (Contains(text, "matches no streams") || Contains(text, "does not contain any stream"))
        {
            return DiagnosticKind.NoVideo;
        }

        if (Contains(text, "Device creation failed") || Contains(text, "for option 'hwaccel'")
            || (Contains(text, "Unknown decoder") && Contains(text, "nvv4l2")) || Contains(text, "Failed setup for format cuda")
            || Contains(text, "No device available for decoder")
            // libavcodec/v4l2_m2m.c: no /dev/videoN mem2mem device takes the stream.
            || Contains(text, "Could not find a valid device"))
        {
            return DiagnosticKind.HardwareDecoder;
        }

        if (Contains(text, "TLS") || Contains(text, "GnuTLS") || Contains(text, "certificate") || Contains(text, "handshake"))
        {
            return DiagnosticKind.Tls;
        }

        if (Contains(text, "timed out") || Contains(text, "Connection timed out"))
        {
            return DiagnosticKind.Timeout;
        }

        if (Contains(text, "Connection reset by peer") || Contains(text, "Broken pipe") || Contains(text, "Network is unreachable")
            || Contains(text, "No route to host"))
        {
            return DiagnosticKind.ConnectionLost;
        }

        if (Contains(text, "corrupt decoded frame") || Contains(text, "Invalid data found when processing input")
            || Contains(text, "Invalid NAL unit") || Contains(text, "error while decoding MB"))
        {
            return DiagnosticKind.CorruptStream;
        }

        // Any other complaint of a video decoder at error level: "no frame!", "non-existing PPS",
        // "decode_slice_header error", "mb_type 51 in P slice too large"…
        if (line.IsError && IsVideoDecoder(line.Context))
        {
            return DiagnosticKind.CorruptStream;
        }

        return null;
    }

    /// <summary>Parses an input stream line: <c>Stream #0:0: Video: h264 (High), yuv420p(progressive), 1920x1080 [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 90k tbn</c>.</summary>
    public static bool TryParseVideoStream(string text, out StreamInfo stream)
    {
        stream = null!;
        var head = VideoStreamHead().Match(text);
        if (!head.Success)
        {
            return false;
        }

        var size = PictureSize().Match(text, head.Index + head.Length);
        if (!size.Success)
        {
            return false;
        }

        double? fps = null;
        var rate = FrameRate().Match(text);
        if (rate.Success)
        {
            var value = rate.Groups["value"].Value;
            var scale = 1.0;
            if (value.EndsWith('k'))
            {
                scale = 1000;
                value = value[..^1];
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
            {
                fps = f * scale;
            }
        }

        var profile = head.Groups["profile"].Success ? head.Groups["profile"].Value : null;
        stream = new StreamInfo(
            head.Groups["codec"].Value,
            profile,
            int.Parse(size.Groups["w"].Value, CultureInfo.InvariantCulture),
            int.Parse(size.Groups["h"].Value, CultureInfo.InvariantCulture),
            fps);
        return true;
    }

    /// <summary>
    /// ffmpeg (verbose) prints the size of the frames entering the filter graph each time it is
    /// configured: <c>[graph 0 input from stream 0:0 @ 0x…] [verbose] w:240 h:160 pixfmt:yuv420p …</c>.
    /// A second configuration with another size is a resolution change.
    /// </summary>
    public static bool TryParseFilterInputSize(FfmpegLogLine line, out (int Width, int Height) size)
    {
        size = default;
        if (!line.Context.StartsWith("graph ", StringComparison.Ordinal) || !line.Context.Contains(" input from stream", StringComparison.Ordinal))
        {
            return false;
        }

        var match = FilterInputSize().Match(line.Text);
        if (!match.Success)
        {
            return false;
        }

        size = (int.Parse(match.Groups["w"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture));
        return true;
    }

    private static bool IsVideoDecoder(string context) =>
        context is "h264" or "hevc" or "mjpeg" or "mpeg4" or "vp8" or "vp9" or "av1" || context.EndsWith("_cuvid", StringComparison.Ordinal)
        || context.EndsWith("_nvv4l2dec", StringComparison.Ordinal) || context.EndsWith("_v4l2m2m", StringComparison.Ordinal);

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.Ordinal);

    [GeneratedRegex(@"Stream #\d+:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: Video: (?<codec>[A-Za-z0-9_]+)(?: \((?<profile>[^)]*)\))?")]
    private static partial Regex VideoStreamHead();

    [GeneratedRegex(@"(?<w>\d{2,5})x(?<h>\d{2,5})(?=[ ,\[]|$)")]
    private static partial Regex PictureSize();

    [GeneratedRegex(@", (?<value>\d+(?:\.\d+)?k?) fps")]
    private static partial Regex FrameRate();

    [GeneratedRegex(@"^w:(?<w>\d+) h:(?<h>\d+) ")]
    private static partial Regex FilterInputSize();
}
