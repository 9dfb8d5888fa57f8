using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Pipeline;

/// <summary>
/// Ownership along the edges: whatever happens (drops of every kind, slow consumers, a stop mid-flight),
/// every frame read is either dropped and counted or reaches the end, and every pool is back to zero in use.
/// </summary>
public sealed class PipelineFlowTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    [CancelAfter(60_000)]
    public async Task Pipeline_DropsAtEveryEdgeThenStop_EveryFrameAccountedAndPoolsEmpty(CancellationToken cancellationToken)
    {
        await using var rig = new PipelineRig(new EndlessFrameSource.Factory(), () => [new PipelineRig.FaceDetector()]);
        var gate = rig.Gate;
        var drops = gate.ToDetection.Drops;
        await rig.StartAsync(cancellationToken);

        // 1. Tracking does not read: detection fills its edge and waits; the frames ingest keeps delivering
        //    push the oldest out of the full ingest → detection edge.
        await Eventually.AssertAsync(() => drops.Count(DropReason.QueueFull) >= 3, Patience, () => rig.Status.Describe(), cancellationToken);

        // 2. A slow consumer that keeps a ring of frames (as the pre-roll ring will) on a pool sized without
        //    one: ingest finds no free buffer and drops at the same edge.
        var ring = new List<FrameHandle>();
        var consumed = 0;
        for (; consumed < 3; consumed++)
        {
            var analysed = await gate.ToTracking.Reader.ReadAsync(cancellationToken);
            Assert.That(analysed.IsAnalysed, Is.True);
            Assert.That(analysed.Detections.Length, Is.EqualTo(1));
            Assert.That(analysed.Detections[0].ClassIndex, Is.EqualTo(analysed.Frame.Pixels[0]), "the detections belong to the frame they travel with");
            ring.Add(analysed.RetainFrame());
            analysed.Release();
        }

        await Eventually.AssertAsync(() => drops.Count(DropReason.NoFreeBuffer) >= 3, Patience, () => rig.Status.Describe(), cancellationToken);
        Assert.That(gate.Frames.InUse, Is.EqualTo(gate.Frames.Capacity), "the pool ran dry, and no buffer beyond it was made");

        // 3. Stop in the host's order with frames waiting on both edges, then the consumer stops too.
        await rig.StopAsync(cancellationToken);
        ring.ForEach(h => h.Release());
        gate.ToTracking.Close();

        Assert.Multiple(() =>
        {
            Assert.That(gate.Frames.InUse, Is.Zero, "frame buffers still held");
            Assert.That(gate.Detections.InUse, Is.Zero, "detection lists still held");
            Assert.That(gate.ToTracking.Drops.Dropped, Is.Zero, "the edge after detection waits, it never drops while running");
            Assert.That(gate.ToTracking.Drops.Count(DropReason.Stopping), Is.GreaterThan(0), "frames were waiting for tracking at the stop");
            Assert.That(rig.IngestMetrics.For(PipelineRig.CameraId).Frames, Is.EqualTo(consumed + rig.AllDrops()), "every frame read is consumed or counted as dropped");
            Assert.That(rig.Status.Describe(), Does.Contain($"{drops.Dropped} dropped"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Pipeline_ReplayEndsIntoTerminal_EveryFrameEndsThereAndPoolsEmpty(CancellationToken cancellationToken)
    {
        await using var rig = new PipelineRig(new EndlessFrameSource.Factory(frames: 40), () => [new PipelineRig.FaceDetector()]);
        var terminal = new PipelineTerminal(rig.Edges, rig.PipelineMetrics, rig.Status);
        await terminal.StartAsync(cancellationToken);
        await rig.StartAsync(cancellationToken);

        // The replay ends: ingest completes its edge, detection drains it and completes its own, the terminal ends.
        await terminal.ExecuteTask!.WaitAsync(cancellationToken);
        await rig.StopAsync(cancellationToken);
        await terminal.StopAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(terminal.Ended(PipelineRig.CameraId) + rig.AllDrops(), Is.EqualTo(40));
            Assert.That(terminal.Ended(PipelineRig.CameraId), Is.GreaterThan(0));
            Assert.That(rig.Gate.Frames.InUse, Is.Zero);
            Assert.That(rig.Gate.Detections.InUse, Is.Zero);
            Assert.That(rig.Status.Describe(), Does.Contain($"end gate: {terminal.Ended(PipelineRig.CameraId)} frames reached the end of the pipeline and were released unrecorded"));
        });
        terminal.Dispose();
    }
}
