using Sensen.Edge.Ingest;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>file:// sources: replay at the clip's own pace, as fast as possible, and looping.</summary>
public sealed class IngestStageReplayTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_ReplayRealtime_PacedAtClipRateThenFinished(CancellationToken cancellationToken)
    {
        var clip = await TestClips.ShortMp4Async(cancellationToken);
        var camera = IngestHarness.Camera("replay", new Uri(clip).AbsoluteUri, fps: 15) with { Replay = ReplayPace.Realtime };
        await using var ingest = new IngestHarness([camera]);
        await ingest.StartAsync(cancellationToken);

        var frames = await ingest.ReadAsync("replay", 30, cancellationToken);
        var state = ingest.State("replay");
        await Eventually.AssertAsync(() => state.State == CameraState.Finished, TimeSpan.FromSeconds(10), () => state.Describe(), cancellationToken);

        // 30 frames of a 15 fps clip span 29/15 = 1.93 s of stream time; -re delivers them in about that.
        var spread = frames[^1].CaptureTime - frames[0].CaptureTime;
        Assert.Multiple(() =>
        {
            Assert.That(spread, Is.GreaterThan(TimeSpan.FromSeconds(1.6)));
            Assert.That(frames.Zip(frames.Skip(1), (a, b) => b.Pts - a.Pts), Is.All.EqualTo(TimeSpan.FromTicks(TimeSpan.TicksPerSecond / 15)));
            Assert.That(state.Frames, Is.EqualTo(45), "a 3 s clip at 15 fps");
            Assert.That(state.Reconnects, Is.Zero, "a finished replay is not restarted");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_ReplayFastLooping_FasterThanRealtimeAndPastTheEnd(CancellationToken cancellationToken)
    {
        var clip = await TestClips.ShortMp4Async(cancellationToken);
        var camera = IngestHarness.Camera("replay", new Uri(clip).AbsoluteUri, fps: 15) with { Replay = ReplayPace.Fast, Loop = true };
        await using var ingest = new IngestHarness([camera]);
        await ingest.StartAsync(cancellationToken);

        // Three passes through the clip: 9 s of video if paced.
        var frames = await ingest.ReadAsync("replay", 135, cancellationToken);

        var spread = frames[^1].CaptureTime - frames[0].CaptureTime;
        var state = ingest.State("replay");
        Assert.Multiple(() =>
        {
            Assert.That(spread, Is.LessThan(TimeSpan.FromSeconds(6)));
            Assert.That(frames.Select(f => f.Sequence), Is.Ordered.Ascending);
            Assert.That(frames.Select(f => f.Pts), Is.Ordered.Ascending);
            Assert.That(state.Reconnects, Is.Zero, "-stream_loop loops inside one ffmpeg run");
            Assert.That(state.State, Is.EqualTo(CameraState.Streaming));
        });
    }
}
