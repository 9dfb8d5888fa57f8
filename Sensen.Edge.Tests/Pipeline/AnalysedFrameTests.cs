using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Tests.Pipeline;

public sealed class AnalysedFrameTests
{
    [Test]
    public void Release_ReturnsListAndFrameOnce_SecondReleaseThrows()
    {
        var (pool, lists, analysed) = Analysed();
        var copy = analysed;

        analysed.Release();

        Assert.That((pool.InUse, lists.InUse), Is.EqualTo((0, 0)));
        Assert.That(copy.Release, Throws.TypeOf<StaleFrameException>().With.Message.Contains("released twice"));
        Assert.That(() => copy.Detections.Length, Throws.TypeOf<StaleFrameException>());
        Assert.That(() => copy.Frame, Throws.TypeOf<StaleFrameException>());
        Assert.That((copy.CameraId, copy.Sequence), Is.EqualTo(("cam", 7L)), "identity stays readable for logs");
    }

    [Test]
    public void RetainFrame_OutlivesTheItem_PixelsStayReadable()
    {
        var (pool, lists, analysed) = Analysed();
        Assert.That(analysed.Detections.ToArray().Select(d => d.Class), Is.EqualTo(new[] { ObjectClass.Face }));

        var kept = analysed.RetainFrame();
        analysed.Release();

        Assert.That(kept.Frame.Pixels[0], Is.EqualTo(9));
        Assert.That((pool.InUse, lists.InUse), Is.EqualTo((1, 0)));
        kept.Release();
        Assert.That(pool.InUse, Is.Zero);
    }

    private static (FramePool Pool, DetectionListPool Lists, AnalysedFrame Analysed) Analysed()
    {
        var pool = new FramePool(12, capacity: 1);
        var lists = new DetectionListPool();
        pool.TryRent(out var frame);
        frame.Describe("cam", 2, 2, PixelFormat.Bgr24, 7, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch);
        frame.Pixels.Fill(9);
        var detections = lists.Rent();
        detections.Items.Add(new DetectedObject(new BoxF(0, 0, 1, 1), ObjectClass.Face, 0.9f));
        return (pool, lists, new AnalysedFrame(frame.Handle(), detections, AnalysisOutcome.Analysed, DateTimeOffset.UnixEpoch));
    }
}
