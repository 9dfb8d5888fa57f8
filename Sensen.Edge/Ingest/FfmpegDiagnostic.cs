namespace Sensen.Edge.Ingest;

/// <summary>One classified line of ffmpeg's stderr (already redacted).</summary>
/// <param name="Kind">What it means.</param>
/// <param name="Line">The line as ffmpeg wrote it, with credentials removed.</param>
internal readonly record struct FfmpegDiagnostic(DiagnosticKind Kind, string Line);
