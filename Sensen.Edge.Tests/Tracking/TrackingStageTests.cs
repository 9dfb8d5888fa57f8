using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Rules;
using Sensen.Edge.Tests.Pipeline;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Tracking;

/// <summary>
/// The stage at the end of the live path, on the real ingest and detection stages and edges (frames from a
/// scripted source, detections from a detector at the seam): a car parked in a bus lane raises one event,
/// which reaches the violation channel once; faces are not tracked; every frame ends released.
/// </summary>
public sealed class TrackingStageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    [CancelAfter(90_000)]
    public async Task Stage_CarInBusLane_OneEventRaisedAndEveryFrameReleased(CancellationToken cancellationToken)
    {
        await using var rig = new PipelineRig(new EndlessFrameSource.Factory(frames: 60), () => [new PipelineRig.FaceDetector(), new ParkedCarDetector()]);
        var rules = new CameraRulesOptions
        {
            Zones = [new ZoneOptions { Id = "lane", Polygon = [new(0.1, 0.1), new(0.9, 0.1), new(0.9, 0.95), new(0.1, 0.95)] }],
            Rules = [new RuleOptions { Id = "bus", Type = RuleKind.BusLane, Zone = "lane", DwellSeconds = 0 }],
        };
        using var violations = new ViolationChannel();
        var stage = new TrackingStage(rig.Edges, id => new CameraRules(id, rules, TimeZoneInfo.Utc, new SignalFeeds()), rig.PipelineMetrics, violations, rig.Status, rig.Logs.CreateLogger<TrackingStage>());
        // The channel's consumer at this seam (Recording reads it in the daemon): every event raised, once.
        var drained = Task.Run(async () =>
        {
            var events = new List<ViolationEvent>();
            await foreach (var e in violations.Reader.ReadAllAsync(cancellationToken))
            {
                events.Add(e);
            }

            return events;
        }, cancellationToken);
        await stage.StartAsync(cancellationToken);
        await rig.StartAsync(cancellationToken);

        // The replay ends: ingest and detection complete their edges, the stage ends and completes the events.
        await stage.ExecuteTask!.WaitAsync(cancellationToken);
        var events = await drained.WaitAsync(cancellationToken);
        await rig.StopAsync(cancellationToken);
        await stage.StopAsync(cancellationToken);

        var camera = stage.Camera(PipelineRig.CameraId);
        Assert.Multiple(() =>
        {
            Assert.That(camera.Frames + rig.AllDrops(), Is.EqualTo(60), "every frame tracked or counted as dropped");
            Assert.That(camera.Tracker.Started, Is.EqualTo(1), "one car; the faces are not tracked");
            Assert.That(camera.Rules.Rules[0].Events, Is.EqualTo(1));
            Assert.That(events.Select(e => (e.RuleId, e.Kind, e.CameraId, e.TrackId, e.Class)), Is.EqualTo(new[] { ("bus", RuleKind.BusLane, PipelineRig.CameraId, 1L, ObjectClass.Car) }));
            Assert.That(rig.Gate.Frames.InUse, Is.Zero);
            Assert.That(rig.Gate.Detections.InUse, Is.Zero);
            Assert.That(rig.Status.Describe(), Does.Contain("track gate: ").And.Contain("1 tracks started; events bus 1"));
            Assert.That(rig.Status.Describe(), Does.Contain("end gate: "));
        });
        stage.Dispose();
    }

    /// <summary>A detector at the seam: the same car every frame, a little jitter from the frame's own bytes.</summary>
    private sealed class ParkedCarDetector : IDetector
    {
        public string Id => "vehicles";

        public IReadOnlySet<ObjectClass> Classes { get; } = new HashSet<ObjectClass> { ObjectClass.Car };

        public int Detect(Frame frame, List<DetectedObject> results)
        {
            var jitter = (frame.Pixels[0] % 2) * 0.5f;
            results.Add(new DetectedObject(new BoxF(8 + jitter, 6, 20 + jitter, 18), ObjectClass.Car, 0.9f));
            return 1;
        }
    }
}
