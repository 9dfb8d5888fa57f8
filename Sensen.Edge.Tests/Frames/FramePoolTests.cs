using Sensen.Edge.Frames;

namespace Sensen.Edge.Tests.Frames;

public sealed class FramePoolTests
{
    [Test]
    public void TryRent_AtCapacity_FailsUntilAFrameIsReleased()
    {
        var pool = new FramePool(PixelFormats.FrameBytes(PixelFormat.Bgr24, 4, 2), capacity: 2);
        Assert.That(pool.TryRent(out var a), Is.True);
        Assert.That(pool.TryRent(out _), Is.True);

        Assert.That(pool.TryRent(out _), Is.False, "memory is bounded: a third frame must not be made");

        a.Release();
        Assert.That(pool.TryRent(out var c), Is.True);
        Assert.That(c, Is.SameAs(a), "the released buffer is reused, not reallocated");
    }

    [Test]
    public void Release_LastReference_ReturnsBufferOnce()
    {
        var pool = new FramePool(24, capacity: 1);
        pool.TryRent(out var frame);
        frame.Describe("cam", 4, 2, PixelFormat.Bgr24, 7, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch);
        frame.Retain();

        frame.Release();
        Assert.That(pool.InUse, Is.EqualTo(1), "one holder still has it");
        frame.Release();
        Assert.That(pool.InUse, Is.Zero);

        Assert.That(frame.Release, Throws.InvalidOperationException, "a double release is a bug, not a silent no-op");
    }

    [Test]
    public void Describe_FrameLargerThanBuffer_Throws()
    {
        var pool = new FramePool(24, capacity: 1);
        pool.TryRent(out var frame);

        Assert.That(() => frame.Describe("cam", 1920, 1080, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch), Throws.ArgumentException);
        Assert.That(frame.Length, Is.Zero);
    }
}
