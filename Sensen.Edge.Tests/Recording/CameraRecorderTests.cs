using Sensen.Edge.Detection;
using Sensen.Edge.Privacy;
using Sensen.Edge.Recording;
using Sensen.Edge.Rules;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Recording;

/// <summary>
/// The pre-roll ring and clip windows on the live path, on a synthetic clock (10 fps frame times, no sleeping): what
/// the ring keeps and releases, which frames each clip gets, merging, the maximum length, and that every pooled frame
/// is released exactly once.
/// </summary>
internal sealed class CameraRecorderTests
{
    private static readonly RecordingOptions Options = new() { PreRollSeconds = 1, PostRollSeconds = 1, MaxClipSeconds = 4 };

    private readonly List<ClipRecording> _opened = [];

    [SetUp]
    public void Forget() => _opened.Clear();

    private CameraRecorder Recorder(RecordingRig rig, int ring = 10) => new("cam", ring, Options, rig.ClipMemory(), () => default, _opened.Add);

    private static ViolationEvent Event(RecordingRig rig, long startFrame, long decidedFrame, long track = 7) => new()
    {
        RuleId = "lane",
        Kind = RuleKind.BusLane,
        CameraId = "cam",
        TrackId = track,
        Class = ObjectClass.Car,
        WindowStart = rig.TimeOf(startFrame),
        WindowEnd = rig.TimeOf(decidedFrame),
        Boxes = [new TrackPoint(new FrameTime(TimeSpan.Zero, rig.TimeOf(decidedFrame)), new BoxF(1, 2, 3, 4), true, 0.9f)],
        FrameWidth = rig.Width,
        FrameHeight = rig.Height,
        Confidence = 0.8,
        DwellSeconds = 3.25,
    };

    private static (List<long> Frames, List<string> Events) Drain(ClipRecording clip)
    {
        var frames = new List<long>();
        var events = new List<string>();
        while (clip.Inputs.TryRead(out var input))
        {
            if (input.Frame is { } frame)
            {
                frames.Add(frame.Sequence);
                frame.Release();
            }
            else
            {
                events.Add($"{input.Event!.RuleId}@{input.Event.TrackId}");
            }
        }

        return (frames, events);
    }

    [Test]
    public void OnFrame_NoClipOpen_RingKeepsTheLastFramesAndReleasesTheRest()
    {
        var rig = new RecordingRig();
        using (var recorder = Recorder(rig))
        {
            rig.Feed(recorder, 0, 24);

            Assert.That(recorder.RingCount, Is.EqualTo(10));
            Assert.That(rig.Pool.InUse, Is.EqualTo(10), "the ring holds exactly its capacity; older frames went back to the pool");
            Assert.That(_opened, Is.Empty);
        }

        Assert.That(rig.Pool.InUse, Is.Zero, "disposing the recorder releases the ring");
    }

    [Test]
    public void OnFrame_NoPreRoll_KeepsNothing()
    {
        var rig = new RecordingRig();
        using var recorder = Recorder(rig, ring: 0);

        rig.Feed(recorder, 0, 5);

        Assert.That(rig.Pool.InUse, Is.Zero);
    }

    [Test]
    public void OnEvent_OneEvent_ClipGetsTheRingsPreRollThenFramesToTheEndOfPostRoll()
    {
        var rig = new RecordingRig();
        using var recorder = Recorder(rig);
        rig.Feed(recorder, 0, 29);

        // Offence from frame 25 (2.5 s), decided at frame 29: window 1.5 s .. 3.9 s; the ring holds frames 20..29.
        var clip = recorder.OnEvent(Event(rig, 25, 29))!;
        rig.Feed(recorder, 30, 45);

        Assert.That(_opened, Is.EqualTo(new[] { clip }));
        Assert.That(clip.IsClosed, Is.True, "frame 40 (4.0 s) is past the window and closed it");
        var (frames, events) = Drain(clip);
        Assert.That(frames, Is.EqualTo(Enumerable.Range(20, 20).Select(i => (long)i)), "pre-roll as far as the ring reaches (20..29), then 30..39");
        Assert.That(events, Is.EqualTo(new[] { "lane@7" }));
        Assert.That(clip.Inputs.Completion.IsCompleted, Is.True);
        recorder.Dispose();
        Assert.That(rig.Pool.InUse, Is.Zero, "ring and clip references each released exactly once");
    }

    [Test]
    public void OnFrame_LookAhead_ClipGetsThatManyFramesAfterItsWindowMarkedLookAheadOnlyAndTakesNoMoreEvents()
    {
        var rig = new RecordingRig();
        var recorder = new CameraRecorder("cam", 10, Options, rig.ClipMemory(), () => default, _opened.Add, lookAheadFrames: 3);
        rig.Feed(recorder, 0, 29);
        var clip = recorder.OnEvent(Event(rig, 25, 29))!; // window 1.5 s .. 3.9 s
        rig.Feed(recorder, 30, 41);

        Assert.That(clip.IsClosed, Is.False, "frames 40 and 41 are look-ahead; the third is still to come");
        var late = recorder.OnEvent(Event(rig, 40, 41, track: 9))!;
        Assert.That(late, Is.Not.SameAs(clip), "a clip handing on look-ahead frames takes no more events: its recorded frames are fixed");
        rig.Feed(recorder, 42, 45);

        Assert.That(clip.IsClosed, Is.True);
        var recorded = new List<long>();
        var lookAhead = new List<long>();
        while (clip.Inputs.TryRead(out var input))
        {
            if (input.Frame is { } frame)
            {
                (input.LookAheadOnly ? lookAhead : recorded).Add(frame.Sequence);
                frame.Release();
            }
        }

        Assert.That(recorded, Is.EqualTo(Enumerable.Range(20, 20).Select(i => (long)i)));
        Assert.That(lookAhead, Is.EqualTo(new long[] { 40, 41, 42 }));
        Drain(late);
        recorder.Dispose();
        Assert.That(rig.Pool.InUse, Is.Zero);
    }

    [Test]
    public void OnEvent_OverlappingEvent_MergedIntoTheOpenClipListingBoth()
    {
        var rig = new RecordingRig();
        using var recorder = Recorder(rig);
        rig.Feed(recorder, 0, 29);
        var clip = recorder.OnEvent(Event(rig, 25, 29))!;
        rig.Feed(recorder, 30, 35);

        // A second offender, decided at 3.5 s: its own window starts at 2.2 s, inside the clip (ends 3.9 s).
        var merged = recorder.OnEvent(Event(rig, 32, 35, track: 9));
        rig.Feed(recorder, 36, 50);

        Assert.That(merged, Is.SameAs(clip));
        Assert.That(_opened, Has.Count.EqualTo(1));
        Assert.That(clip.Events.Select(e => e.TrackId), Is.EqualTo(new[] { 7L, 9L }));
        var (frames, events) = Drain(clip);
        Assert.That(events, Is.EqualTo(new[] { "lane@7", "lane@9" }));
        Assert.That(frames.First(), Is.EqualTo(20));
        Assert.That(frames.Last(), Is.EqualTo(45), "the end moved to the second event's post-roll (4.5 s)");
        Assert.That(frames, Is.Ordered.And.Unique);
    }

    [Test]
    public void OnEvent_DecisionPastTheMaximum_OpensASecondClip()
    {
        var rig = new RecordingRig();
        using var recorder = Recorder(rig);
        rig.Feed(recorder, 0, 29);
        var first = recorder.OnEvent(Event(rig, 25, 29))!; // starts 1.5 s: limit 5.5 s
        rig.Feed(recorder, 30, 38);
        var late = Event(rig, 38, 38, track: 9);
        late = late with { WindowEnd = rig.TimeOf(58) }; // decided at 5.8 s, past the first clip's limit
        rig.Feed(recorder, 39, 58);
        var second = recorder.OnEvent(late)!;
        rig.Feed(recorder, 59, 70);

        Assert.That(second, Is.Not.SameAs(first));
        Assert.That(_opened, Has.Count.EqualTo(2));
        var (firstFrames, _) = Drain(first);
        var (secondFrames, _) = Drain(second);
        Assert.That(firstFrames.Last(), Is.EqualTo(39));
        Assert.That(secondFrames.First(), Is.EqualTo(49), "the ring's 10 frames at the moment the second clip opened");
        Assert.That(secondFrames.Last(), Is.EqualTo(68));
        recorder.Dispose();
        Assert.That(rig.Pool.InUse, Is.Zero);
    }

    [Test]
    public void CloseAll_ClipStillInPostRoll_ClosedAndMarkedCutShort()
    {
        var rig = new RecordingRig();
        using var recorder = Recorder(rig);
        rig.Feed(recorder, 0, 29);
        var clip = recorder.OnEvent(Event(rig, 25, 29))!;
        rig.Feed(recorder, 30, 33);

        recorder.CloseAll();

        Assert.That((clip.IsClosed, clip.PostRollCut), Is.EqualTo((true, true)));
        Assert.That(Drain(clip).Frames.Last(), Is.EqualTo(33));
        Assert.That(recorder.OpenClips, Is.Zero);
    }

    [Test]
    public void OnEvent_TracksOnTheFrame_CopiedIntoEachClipFrame()
    {
        var rig = new RecordingRig();
        using var recorder = Recorder(rig);
        var tracker = new ObjectTracker();
        for (var s = 0; s < 12; s++)
        {
            var item = rig.Frame(s);
            tracker.Update(item.Detections, new FrameTime(item.Pts, item.CaptureTime));
            recorder.OnFrame(item, tracker.Tracks);
            item.Release();
        }

        var clip = recorder.OnEvent(Event(rig, 10, 11))!;
        clip.Inputs.TryRead(out _); // the opening event
        Assert.That(clip.Inputs.TryRead(out var input), Is.True);
        var frame = input.Frame!;
        Assert.That(frame.Detections.Select(d => d.Class), Is.EqualTo(new[] { ObjectClass.Person }));
        Assert.That(frame.Tracks, Has.Count.EqualTo(1));
        Assert.That(frame.Tracks[0].Class, Is.EqualTo(ObjectClass.Person));
        Assert.That(frame.Frame.Pixels[0], Is.EqualTo((byte)(frame.Sequence * 8)), "the clip frame reads the ring's pixels");
        frame.Release();
        Drain(clip);
    }

    [Test]
    public void OnFrame_SteadyStateWithoutAClip_AllocatesNothing()
    {
        var rig = new RecordingRig();
        using var recorder = Recorder(rig);
        rig.Feed(recorder, 0, 50); // warm up: the ring's slots and their arrays exist now
        IReadOnlyList<Track> none = [];

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var s = 51; s < 551; s++)
        {
            var item = rig.Frame(s);
            recorder.OnFrame(item, none);
            item.Release();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, $"{allocated} bytes over 500 frames");
    }
}
