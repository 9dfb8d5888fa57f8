using System.Text.RegularExpressions;

namespace Sensen.Edge.Ingest;

/// <summary>
/// One stderr line of ffmpeg run with <c>-loglevel level+verbose</c>, split into its parts:
/// <c>[h264 @ 0x55d…] [error] error while decoding MB 3 11</c> → context <c>h264</c>, level
/// <c>error</c>, text. Lines of multi-line dumps (the SDP) have neither context nor level.
/// </summary>
/// <param name="Context">The logging component (<c>h264</c>, <c>rtsp</c>, <c>tcp</c>, <c>graph 0 input from stream 0:0</c>), or empty.</param>
/// <param name="Level">ffmpeg's level name (<c>error</c>, <c>warning</c>, <c>info</c>, <c>verbose</c>…), or empty.</param>
/// <param name="Text">The message.</param>
internal readonly partial record struct FfmpegLogLine(string Context, string Level, string Text)
{
    public bool IsError => Level is "error" or "fatal" or "panic";

    public bool IsWarningOrWorse => IsError || Level == "warning";

    public static FfmpegLogLine Parse(string line)
    {
        var match = Shape().Match(line);
        return match.Success
            ? new FfmpegLogLine(match.Groups["ctx"].Value, match.Groups["lvl"].Value, match.Groups["text"].Value)
            : new FfmpegLogLine("", "", line);
    }

    [GeneratedRegex(@"^(?:\[(?<ctx>[^\]]+?) @ 0x[0-9a-fA-F]+\] )?(?:\[(?<lvl>trace|debug|verbose|info|warning|error|fatal|panic)\] )?(?<text>.*)$")]
    private static partial Regex Shape();
}
