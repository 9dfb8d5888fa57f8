using Sensen.Edge.Frames;

namespace Sensen.Edge.Tests.Frames;

/// <summary>The generation stamp: a reference kept past its release fails loudly instead of reading recycled pixels.</summary>
public sealed class FrameHandleTests
{
    [Test]
    public void Frame_PixelsAfterRelease_Throw()
    {
        var pool = new FramePool(12, capacity: 1);
        pool.TryRent(out var frame);
        frame.Describe("cam", 2, 2, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch);

        frame.Release();

        Assert.That(() => frame.Pixels.Length, Throws.TypeOf<StaleFrameException>());
    }

    [Test]
    public void Handle_BufferRecycledForTheNextFrame_ThrowsInsteadOfReadingTheNewPixels()
    {
        var pool = new FramePool(12, capacity: 1);
        pool.TryRent(out var first);
        first.Describe("cam", 2, 2, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch);
        first.Pixels.Fill(1);
        var handle = first.Handle();
        Assert.That(handle.Frame.Pixels[0], Is.EqualTo(1));

        first.Release();
        pool.TryRent(out var second);
        second.Describe("cam", 2, 2, PixelFormat.Bgr24, 1, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch);
        second.Pixels.Fill(2);

        Assert.That(second, Is.SameAs(first), "one buffer: the old handle points at the recycled frame");
        Assert.That(handle.IsLive, Is.False);
        Assert.That(() => handle.Frame, Throws.TypeOf<StaleFrameException>().With.Message.Contains("released frame"));
        Assert.That(handle.Release, Throws.TypeOf<StaleFrameException>(), "a stale release must not free the new frame");
        Assert.That(pool.InUse, Is.EqualTo(1));
        second.Release();
    }

    [Test]
    public void Handle_Retained_StaysLiveUntilEveryReferenceIsReleased()
    {
        var pool = new FramePool(12, capacity: 1);
        pool.TryRent(out var frame);
        var first = frame.Handle();
        var ring = first.Retain();

        first.Release();
        Assert.That(ring.IsLive, Is.True, "the ring's reference keeps the buffer");
        ring.Release();

        Assert.That(ring.IsLive, Is.False);
        Assert.That(pool.InUse, Is.Zero);
    }
}
