using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Tests.Pipeline;

public sealed class PipelineEdgesTests
{
    [Test]
    public void ToDetection_Full_OldestDroppedReleasedToPoolAndCounted()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var edges = Edges(services, new AnalysisOptions { Width = 64, Height = 64 }, preRoll: 0, new PipelineTuning { DetectionQueueFrames = 2 });
        var gate = edges.For("gate");
        for (var i = 0; i < 3; i++)
        {
            Assert.That(gate.Frames.TryRent(out var frame), Is.True);
            frame.Describe("gate", 64, 64, PixelFormat.Bgr24, i, TimeSpan.FromSeconds(i), DateTimeOffset.UnixEpoch);
            gate.ToDetection.Writer.TryWrite(frame);
        }

        Assert.Multiple(() =>
        {
            Assert.That(gate.ToDetection.FullMode, Is.EqualTo(BoundedChannelFullMode.DropOldest));
            Assert.That(gate.ToTracking.FullMode, Is.EqualTo(BoundedChannelFullMode.Wait));
            Assert.That(gate.ToDetection.Drops.Count(DropReason.QueueFull), Is.EqualTo(1));
            Assert.That(gate.Frames.InUse, Is.EqualTo(2), "the dropped frame went back to the pool");
            Assert.That(gate.ToDetection.Reader.TryRead(out var oldest), Is.True);
            Assert.That(oldest!.Sequence, Is.EqualTo(1), "frame 0 was the one dropped");
            oldest.Release();
        });

        gate.ToDetection.Close();
        Assert.That(gate.Frames.InUse, Is.Zero);
        Assert.That(gate.ToDetection.Drops.Count(DropReason.Stopping), Is.EqualTo(1));
        Assert.That(gate.ToDetection.Writer.TryWrite(null!), Is.False, "a closed edge takes nothing more");
    }

    [Test]
    public void Pool_DefaultCamera_SizedForFramesInFlightPlusPreRoll()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var gate = Edges(services, new AnalysisOptions(), preRoll: 5, new PipelineTuning()).For("gate");

        // 4 waiting for detection + 4 waiting for tracking + 3 held by stages, and 5 s × 10 fps of pre-roll.
        Assert.That((gate.Budget.InFlight, gate.Budget.PreRoll, gate.Frames.Capacity), Is.EqualTo((11, 50, 61)));
        Assert.That(gate.Frames.FrameBytes, Is.EqualTo(1280 * 720 * 3));
        Assert.That(gate.Budget.Megabytes, Is.EqualTo(161));
        Assert.That(gate.Budget.ToString(), Is.EqualTo("61 frames of 1280x720 bgr24 (11 in flight + 50 pre-roll)"));
    }

    [Test]
    public void Budget_FractionalPreRollFrames_RoundUp()
    {
        var budget = FrameBudget.For(new CameraFrames("gate", 1280, 720, 7.5), 1.1, new PipelineTuning());

        Assert.That(budget.PreRoll, Is.EqualTo(9), "1.1 s × 7.5 fps = 8.25 frames: the ring needs 9 to hold all of it");
    }

    private static PipelineEdges Edges(ServiceProvider services, AnalysisOptions analysis, double preRoll, PipelineTuning tuning) =>
        new([new CameraOptions { Id = "gate", Url = "rtsp://cam/x", Analysis = analysis }.Frames()], preRoll, tuning, new PipelineMetrics(services.GetRequiredService<IMeterFactory>()));
}
