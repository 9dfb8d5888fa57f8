using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>
/// A frame source at the <see cref="IFrameSource"/> seam for supervision logic that real time
/// cannot reach (a run healthy for 30 s): delivers <paramref name="frames"/> frames, moving the
/// fake clock <paramref name="step"/> per frame, then ends as a live stream that closed.
/// </summary>
internal sealed class ScriptedFrameSource(FakeTimeProvider time, int frames, TimeSpan step, int frameBytes) : IFrameSource
{
    private int _delivered;

    public int FrameBytes => frameBytes;

    public StreamInfo? Stream => new("h264", "High", 1920, 1080, 25);

    public ValueTask<bool> ReadFrameAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_delivered == frames)
        {
            return ValueTask.FromResult(false);
        }

        time.Advance(step);
        destination.Span.Fill((byte)_delivered++);
        return ValueTask.FromResult(true);
    }

    public void Abort()
    {
    }

    public Task<FrameSourceEnd> WaitForEndAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new FrameSourceEnd(null, 0, ["[info] stream ended"]));

    public ValueTask DisposeAsync() => default;
}
