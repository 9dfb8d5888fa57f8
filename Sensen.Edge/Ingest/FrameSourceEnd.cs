namespace Sensen.Edge.Ingest;

/// <summary>How a frame source's run ended.</summary>
/// <param name="Kind">The classified reason; null when it simply reached the end (a finished replay file).</param>
/// <param name="ExitCode">ffmpeg's exit status (null when it was killed or never ran).</param>
/// <param name="LastLines">The last stderr lines, redacted, for the log.</param>
internal sealed record FrameSourceEnd(DiagnosticKind? Kind, int? ExitCode, IReadOnlyList<string> LastLines)
{
    public bool IsClean => Kind is null && ExitCode == 0;

    public string Describe()
    {
        var reason = Kind?.ToString() ?? (ExitCode == 0 ? "end of stream" : "ffmpeg failed");
        var code = ExitCode is { } c ? $"exit {c}" : "killed";
        var last = LastLines.Count > 0 ? ": " + LastLines[^1] : "";
        return $"{reason} ({code}){last}";
    }
}
