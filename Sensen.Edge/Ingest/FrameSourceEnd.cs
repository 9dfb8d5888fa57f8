namespace Sensen.Edge.Ingest;

/// <summary>How a frame source's run ended.</summary>
/// <param name="Kind">The classified reason; null when it simply reached the end (a finished replay file).</param>
/// <param name="ExitCode">ffmpeg's exit status (null when it was killed or never ran).</param>
/// <param name="LastLines">The last stderr lines, redacted, for the log.</param>
internal sealed record FrameSourceEnd(DiagnosticKind? Kind, int? ExitCode, IReadOnlyList<string> LastLines)
{
    public bool IsClean => Kind is null && ExitCode == 0;

    /// <summary>"ffmpeg exited with 1: rtsp://host/cam: Server returned 404 Not Found".</summary>
    public string Describe()
    {
        var code = ExitCode is { } c ? $"ffmpeg exited with {c}" : "ffmpeg was stopped";
        return LastLines.Count > 0 ? $"{code}: {FfmpegLogLine.Parse(LastLines[^1]).Text}" : code;
    }
}
