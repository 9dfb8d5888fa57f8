namespace Sensen.Edge.Ingest;

/// <summary>Starts frame sources; the supervisor starts one per run of a camera.</summary>
internal interface IFrameSourceFactory
{
    /// <summary>
    /// Starts a source. <paramref name="onDiagnostic"/> is called (from a background task) for each
    /// classified line while it runs. Throws <see cref="FrameSourceException"/> when it cannot start.
    /// </summary>
    IFrameSource Start(FrameSourceRequest request, Action<FfmpegDiagnostic> onDiagnostic);
}
