using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Pipeline;

/// <summary>
/// A frame source at the <see cref="IFrameSource"/> seam that delivers frames as fast as the pipeline takes
/// them (each frame's bytes are its index), forever or for <paramref name="frames"/> frames, then ends as
/// a replay file does. For driving every edge of the pipeline into its full state in a test.
/// </summary>
internal sealed class EndlessFrameSource(int frameBytes, long? frames = null) : IFrameSource
{
    private long _delivered;
    private volatile bool _aborted;

    public int FrameBytes => frameBytes;

    public StreamInfo? Stream => new("h264", "High", 32, 24, 25);

    public async ValueTask<bool> ReadFrameAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        // A real decoder's pace, roughly: yields the thread between frames so the test machine's other work runs.
        await Task.Delay(1, cancellationToken);
        if (_aborted || _delivered == frames)
        {
            return false;
        }

        destination.Span.Fill((byte)_delivered++);
        return true;
    }

    public void Abort() => _aborted = true;

    public Task<FrameSourceEnd> WaitForEndAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new FrameSourceEnd(null, 0, []));

    public ValueTask DisposeAsync() => default;

    /// <summary>A factory handing out one such source per run.</summary>
    public sealed class Factory(long? frames = null) : IFrameSourceFactory
    {
        public IFrameSource Start(FrameSourceRequest request, Action<FfmpegDiagnostic> onDiagnostic) => new EndlessFrameSource(request.FrameBytes, frames);
    }
}
