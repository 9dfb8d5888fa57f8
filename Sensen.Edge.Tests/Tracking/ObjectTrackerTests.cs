using Sensen.Edge.Detection;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Tracking;

public sealed class ObjectTrackerTests
{
    private const double Fps = 10;

    private static FrameTime At(int frame) =>
        new(TimeSpan.FromSeconds(frame / Fps), new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero).AddSeconds(frame / Fps));

    /// <summary>
    /// Two lanes of traffic in opposite directions whose boxes overlap as they pass (the nearer one hides the
    /// farther), plus a vehicle crossing both lanes diagonally and one that parks, under box noise, 8 % misses,
    /// occlusion misses and false positives.
    /// </summary>
    private static SyntheticTraffic CrossingScene(int seed)
    {
        var scene = new SyntheticTraffic(seed);
        var id = 0;
        for (var k = 0; k < 6; k++)
        {
            scene.Add(++id, -60, 380, 110, 0, 120, 80, k * 4.0, (k * 4.0) + 13);
            scene.Add(++id, 1340, 350, -120, 0, 110, 75, 3 + (k * 4.0), 3 + (k * 4.0) + 12);
        }

        scene.Add(++id, 200, 100, 60, 40, 100, 70, 2, 14);
        scene.Add(++id, 900, 500, 0, 0, 130, 90, 0, 30);
        return scene;
    }

    private static TrackingScore Run(SyntheticTraffic scene, ObjectTracker tracker, int frames, int detectionInterval = 1)
    {
        var score = new TrackingScore();
        var truth = new List<(int Id, BoxF Box)>();
        var detections = new List<DetectedObject>();
        var output = new List<(long Id, BoxF Box)>();
        for (var f = 0; f < frames; f++)
        {
            scene.Truth(f / Fps, truth);
            if (f % detectionInterval == 0)
            {
                scene.Detect(truth, detections);
                tracker.Update(detections.ToArray(), At(f));
            }
            else
            {
                tracker.Predict(At(f));
            }

            output.Clear();
            output.AddRange(tracker.Confirmed.Select(t => (t.Id, t.Box)));
            score.Add(truth, output);
        }

        return score;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Update_CrossingTrafficWithNoiseAndMisses_KeepsIdentities(int seed)
    {
        var score = Run(CrossingScene(seed), new ObjectTracker(), 300);
        TestContext.Out.WriteLine($"seed {seed}: {score}");
        TestContext.Out.WriteLine(score.Pairs());
        Assert.Multiple(() =>
        {
            Assert.That(score.IdSwitches, Is.LessThanOrEqualTo(1), score.ToString());
            Assert.That(score.Mota, Is.GreaterThan(0.8), score.ToString());
            Assert.That(score.Idf1, Is.GreaterThan(0.9), score.ToString());
        });
    }

    [Test]
    public void Predict_DetectionEveryThirdFrame_TracksBetweenDetections()
    {
        var score = Run(CrossingScene(4), new ObjectTracker(), 300, detectionInterval: 3);
        TestContext.Out.WriteLine($"interval 3: {score}");
        Assert.That(score.IdSwitches, Is.LessThanOrEqualTo(2), score.ToString());
        Assert.That(score.Idf1, Is.GreaterThan(0.9), score.ToString());
    }

    [Test]
    public void Update_ShortOcclusion_KeepsId()
    {
        var tracker = new ObjectTracker();
        var box = new BoxF(100, 100, 200, 160);
        for (var f = 0; f < 10; f++)
        {
            tracker.Update([new DetectedObject(Shift(box, f * 10), ObjectClass.Car, 0.9f)], At(f));
        }

        var id = tracker.Confirmed.Single().Id;
        for (var f = 10; f < 18; f++)
        {
            tracker.Update([], At(f)); // 0.8 s hidden behind a bus
        }

        Assert.That(tracker.Tracks.Single().State, Is.EqualTo(TrackState.Lost));
        tracker.Update([new DetectedObject(Shift(box, 180), ObjectClass.Car, 0.9f)], At(18));
        Assert.That(tracker.Confirmed.Single().Id, Is.EqualTo(id));
        Assert.That(tracker.Started, Is.EqualTo(1));
    }

    [Test]
    public void Update_LostTooLong_RemovesAndReportsId()
    {
        var tracker = new ObjectTracker();
        for (var f = 0; f < 5; f++)
        {
            tracker.Update([new DetectedObject(new BoxF(100, 100, 200, 160), ObjectClass.Car, 0.9f)], At(f));
        }

        var removed = new List<long>();
        for (var f = 5; f < 30 && tracker.Tracks.Count > 0; f++)
        {
            tracker.Update([], At(f));
            removed.AddRange(tracker.Removed);
        }

        Assert.That(removed, Is.EqualTo(new[] { 1L }));
        Assert.That(tracker.Tracks, Is.Empty);
    }

    [Test]
    public void Update_TentativeMissedOnce_IsRemovedWithoutConfirming()
    {
        var tracker = new ObjectTracker();
        tracker.Update([new DetectedObject(new BoxF(100, 100, 200, 160), ObjectClass.Car, 0.9f)], At(0));
        Assert.That(tracker.Tracks.Single().State, Is.EqualTo(TrackState.Tentative));
        Assert.That(tracker.Confirmed, Is.Empty);
        tracker.Update([], At(1));
        Assert.That(tracker.Tracks, Is.Empty);
    }

    [Test]
    public void Update_LowScoreDetection_ExtendsTrackButStartsNone()
    {
        var tracker = new ObjectTracker();
        for (var f = 0; f < 3; f++)
        {
            tracker.Update([new DetectedObject(new BoxF(100, 100, 200, 160), ObjectClass.Car, 0.9f)], At(f));
        }

        tracker.Update([new DetectedObject(new BoxF(101, 100, 201, 160), ObjectClass.Car, 0.3f), new DetectedObject(new BoxF(600, 300, 700, 360), ObjectClass.Car, 0.3f)], At(3));
        Assert.That(tracker.Tracks, Has.Count.EqualTo(1));
        Assert.That(tracker.Tracks[0].Observed, Is.True);
        Assert.That(tracker.Tracks[0].State, Is.EqualTo(TrackState.Confirmed));
    }

    [Test]
    public void Update_ParkedVehicleJitters_StaysStationaryThenMovesOff()
    {
        var tracker = new ObjectTracker();
        var random = new Random(7);
        var f = 0;
        var changes = 0;
        var was = false;
        for (; f < 600; f++)
        {
            var jitter = (float)((random.NextDouble() - 0.5) * 6); // ±3 px on a 60 px tall box
            tracker.Update([new DetectedObject(new BoxF(400 + jitter, 300 - jitter, 500 + jitter, 360 + jitter), ObjectClass.Car, 0.8f)], At(f));
            var now = tracker.Confirmed.SingleOrDefault()?.IsStationary ?? false;
            changes += now != was ? 1 : 0;
            was = now;
        }

        Assert.That(changes, Is.EqualTo(1), "became stationary once and stayed so");
        Assert.That(tracker.Confirmed.Single().StationarySince.Pts, Is.LessThan(TimeSpan.FromSeconds(1.5)));
        for (var step = 1; step <= 20 && tracker.Confirmed.Single().IsStationary; step++, f++)
        {
            tracker.Update([new DetectedObject(Shift(new BoxF(400, 300, 500, 360), step * 5), ObjectClass.Car, 0.8f)], At(f));
        }

        Assert.That(tracker.Confirmed.Single().IsStationary, Is.False);
    }

    [Test]
    public void Update_ClassFlickers_ClassByVote()
    {
        var tracker = new ObjectTracker();
        for (var f = 0; f < 10; f++)
        {
            var label = f % 3 == 0 ? ObjectClass.Truck : ObjectClass.Car;
            tracker.Update([new DetectedObject(new BoxF(100, 100, 200, 160), label, 0.8f)], At(f));
        }

        Assert.That(tracker.Confirmed.Single().Class, Is.EqualTo(ObjectClass.Car));
        Assert.That(tracker.Confirmed.Single().ClassShare, Is.EqualTo(0.6f).Within(0.001f));
    }

    [Test]
    public void Update_SteadyStateFiftyTracks_AllocatesNothing()
    {
        var tracker = new ObjectTracker();
        var frames = new DetectedObject[40][];
        for (var f = 0; f < frames.Length; f++)
        {
            frames[f] = Enumerable.Range(0, 50)
                .Select(i => new DetectedObject(BoxF.FromCenter(40 + (i % 10 * 120) + f, 60 + (i / 10 * 130), 80, 60), ObjectClass.Car, 0.9f))
                .ToArray();
        }

        for (var f = 0; f < 20; f++)
        {
            tracker.Update(frames[f], At(f));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var f = 20; f < 40; f++)
        {
            if (f % 2 == 0)
            {
                tracker.Update(frames[f], At(f));
            }
            else
            {
                tracker.Predict(At(f));
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(tracker.Confirmed, Has.Count.EqualTo(50));
        Assert.That(allocated, Is.Zero);
    }

    private static BoxF Shift(BoxF box, float dx) => new(box.X1 + dx, box.Y1, box.X2 + dx, box.Y2);
}
