using Sensen.Edge.Detection;
using Sensen.Edge.Privacy;
using Sensen.Edge.Recording;
using Sensen.Edge.Rules;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tracking;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Recording;

/// <summary>
/// Clip memory at the Recording ↔ Privacy seam: a clip path that stalls (a slow anonymiser, as a heavy model on a
/// busy unit would be) must not hold the camera's frame pool, so the live path keeps taking frames; the clip is
/// cut when its clip memory is full, then sealed with what it had (real ffmpeg), the loss counted in the
/// manifest, the metric and one log line.
/// </summary>
internal sealed class ClipMemoryTests
{
    private static readonly RecordingOptions Options = new() { PreRollSeconds = 1, PostRollSeconds = 5, MaxClipSeconds = 30 };

    [Test]
    [CancelAfter(60_000)]
    public async Task SlowClipPath_ClipMemoryFull_LivePathKeepsItsFramesAndTheClipIsCutThenSealed(CancellationToken cancellationToken)
    {
        // A live pool of 16 frames (a 10-frame ring + in flight) and a clip memory of 12: the clip's window
        // (frames 0..59) is far larger than either.
        var rig = new RecordingRig(width: 64, height: 48, poolFrames: 16);
        var clipMemory = rig.ClipMemory(12);
        using var anonymiser = new StalledAnonymiser();
        var metrics = new RecordingMetrics();
        var logs = new LogCapture();
        EvidenceMetadata? sealedMetadata = null;
        var writer = new ClipWriter(anonymiser, async (m, s, ct) =>
        {
            await s.CopyToAsync(Stream.Null, ct);
            sealedMetadata = m;
            return "019ad2c4-8f00-7000-8000-00000000abce";
        }, Settings(), metrics, logs.CreateLogger("ClipWriter"));
        Task<ClipOutcome>? run = null;
        ClipRecording? recording = null;
        using var recorder = new CameraRecorder("cam", 10, Options, clipMemory, () => default, clip =>
        {
            recording = clip;
            run = Task.Run(() => writer.RunAsync(clip, rig.Fps, cancellationToken), cancellationToken);
        });

        rig.Feed(recorder, 0, 9);
        recorder.OnEvent(Event(rig, 9));
        await Eventually.AssertAsync(() => anonymiser.Entered, TimeSpan.FromSeconds(20), () => "the clip path took its first frame and stalled", cancellationToken);

        // The live path goes on for 50 more frames while the clip path is stuck; RecordingRig.Frame throws if the pool runs dry.
        var mostInUse = 0;
        for (var s = 10L; s <= 59; s++)
        {
            rig.Feed(recorder, s, s);
            mostInUse = Math.Max(mostInUse, rig.Pool.InUse);
        }

        Assert.That(mostInUse, Is.LessThanOrEqualTo(10), "the pool holds the ring and nothing for the clip");
        Assert.That(recording!.CutByClipMemory, Is.True);
        Assert.That(recording.IsClosed, Is.True, "cut, so its writer can seal it");
        Assert.That(recorder.OpenClips, Is.Zero);

        anonymiser.Resume();
        var outcome = await run!;

        Assert.That(outcome, Is.EqualTo(ClipOutcome.Sealed), "cut, not lost");
        Assert.That(sealedMetadata!.Video.Frames, Is.EqualTo(12), "frames 0..11: all the clip memory held");
        Assert.That(anonymiser.Pushed, Is.EqualTo(Enumerable.Range(0, 12).Select(i => (long)i)));
        Assert.That(sealedMetadata.StreamHealth.FramesLostToClipMemory, Is.EqualTo(1), "frame 12 found the clip memory full and cut the clip");
        Assert.That(metrics.FramesLost("cam"), Is.EqualTo(1));
        Assert.That(logs.Lines.Count(l => l.Contains("clip memory", StringComparison.Ordinal)), Is.EqualTo(1), logs.Text);
        Assert.That(logs.Text, Does.Contain("Clip 1 of camera cam was cut: the camera's clip memory (recording.clip_memory_megabytes_per_camera) was full, so 1 frame(s) of its window were not recorded and the live path lost none; the clip was sealed with the frames it had"));
        recorder.Dispose();
        Assert.That(rig.Pool.InUse, Is.Zero);
        Assert.That(clipMemory.InUse, Is.Zero, "every copy went back to the clip memory");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task TwoClipsOfOneFrame_OneCopyInClipMemory(CancellationToken cancellationToken)
    {
        var rig = new RecordingRig(width: 64, height: 48, poolFrames: 16);
        var clipMemory = rig.ClipMemory(64);
        var clips = new List<ClipRecording>();
        using var recorder = new CameraRecorder("cam", 10, Options with { PostRollSeconds = 0.2 }, clipMemory, () => default, clips.Add, lookAheadFrames: 3);
        rig.Feed(recorder, 0, 9);

        // The first clip ends at frame 11 and takes 12..14 as look-ahead only; an event at 12 therefore opens a
        // second clip, and frame 13 belongs to both.
        recorder.OnEvent(Event(rig, 9));
        rig.Feed(recorder, 10, 12);
        recorder.OnEvent(Event(rig, 12) with { TrackId = 9 });
        var before = clipMemory.InUse;
        rig.Feed(recorder, 13, 13);

        Assert.That(clips, Has.Count.EqualTo(2));
        Assert.That(clips[0].LookAheadOffered, Is.EqualTo(2), "12 and 13");
        Assert.That(clipMemory.InUse - before, Is.EqualTo(1), "frame 13 joins both clips from one copy");
        recorder.Dispose();
        foreach (var clip in clips)
        {
            await foreach (var input in clip.Inputs.ReadAllAsync(cancellationToken))
            {
                input.Frame?.Release();
            }
        }

        Assert.That(clipMemory.InUse, Is.Zero);
        Assert.That(rig.Pool.InUse, Is.Zero);
    }

    private static ClipWriterSettings Settings() => new()
    {
        FfmpegPath = "ffmpeg",
        Encoder = Task.FromResult(ClipEncoder.Libx264),
        Quality = 23,
        ConfigSha256 = new string('c', 64),
        LiveModels = () => new Dictionary<string, string>(),
        Clock = () => new ClockSyncState(true, "ntp", 1500),
    };

    private static ViolationEvent Event(RecordingRig rig, long decidedFrame) => new()
    {
        RuleId = "lane",
        Kind = RuleKind.BusLane,
        CameraId = "cam",
        TrackId = 7,
        Class = ObjectClass.Car,
        WindowStart = rig.TimeOf(decidedFrame - 2),
        WindowEnd = rig.TimeOf(decidedFrame),
        Boxes = [new TrackPoint(new FrameTime(TimeSpan.Zero, rig.TimeOf(decidedFrame)), new BoxF(1, 2, 3, 4), true, 0.9f)],
        FrameWidth = rig.Width,
        FrameHeight = rig.Height,
        Confidence = 0.8,
        DwellSeconds = 3,
    };

    /// <summary>
    /// A test double at the seam: passes pixels through unchanged with no look-ahead, but its first
    /// <see cref="IClipAnonymisation.Push"/> blocks until <see cref="Resume"/> (a clip path that cannot keep up).
    /// Never proof that anything is anonymised.
    /// </summary>
    private sealed class StalledAnonymiser : IClipAnonymiser, IDisposable
    {
        private readonly ManualResetEventSlim _gate = new();
        private volatile bool _entered;

        public bool Entered => _entered;

        public List<long> Pushed { get; } = [];

        public void Resume() => _gate.Set();

        public void Dispose() => _gate.Dispose();

        public IClipAnonymisation Open(ClipSubject subject) => new Run(this);

        private sealed class Run(StalledAnonymiser owner) : IClipAnonymisation
        {
            private readonly Queue<AnonymisedFrame> _ready = new();

            public AnonymisationSummary Summary => new() { Frames = owner.Pushed.Count, Method = "test_stalled", Models = new Dictionary<string, string>() };

            public PlateRead? Plate => null;

            public void Push(ClipFrame frame)
            {
                owner._entered = true;
                if (!owner._gate.Wait(TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException("the test never resumed the stalled clip path");
                }

                owner.Pushed.Add(frame.Sequence);
                try
                {
                    _ready.Enqueue(AnonymisedFrame.Obscured(frame.Frame.Pixels.ToArray(), frame));
                }
                finally
                {
                    frame.Release();
                }
            }

            public bool TryTake(out AnonymisedFrame frame) => _ready.TryDequeue(out frame!);

            public void Complete()
            {
            }

            public void Dispose()
            {
            }
        }
    }
}
