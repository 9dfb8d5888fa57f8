namespace Sensen.Edge.Ingest;

/// <summary>Starts <see cref="FfmpegFrameSource"/>s.</summary>
internal sealed class FfmpegFrameSourceFactory : IFrameSourceFactory
{
    private readonly IngestTuning _tuning;

    public FfmpegFrameSourceFactory(IngestTuning tuning)
    {
        _tuning = tuning;
    }

    public IFrameSource Start(FrameSourceRequest request, Action<FfmpegDiagnostic> onDiagnostic) =>
        FfmpegFrameSource.Start(request, _tuning, onDiagnostic);
}
