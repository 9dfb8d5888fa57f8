using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Detection;
using Sensen.Edge.Recording;
using Sensen.Edge.Rules;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tracking;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Recording;

/// <summary>
/// One clip through the clip writer with real ffmpeg: the anonymiser seam (a pass-through test double, so pixels can be
/// compared), libx264 into fragmented MP4 in memory, decoded back with ffmpeg; the manifest's recording fields; and an
/// encoder that cannot start (the clip fails, is counted, and every frame is released).
/// </summary>
internal sealed class ClipWriterTests
{
    private static readonly RecordingOptions Options = new() { PreRollSeconds = 1, PostRollSeconds = 1, MaxClipSeconds = 10 };

    private static ClipWriterSettings Settings(string ffmpeg = "ffmpeg") => new()
    {
        FfmpegPath = ffmpeg,
        Encoder = Task.FromResult(ClipEncoder.Libx264),
        Quality = 18,
        ConfigSha256 = new string('c', 64),
        LiveModels = () => new Dictionary<string, string> { ["centernet"] = new string('B', 64) },
        Clock = () => new ClockSyncState(true, "ntp", 1500),
    };

    private static ViolationEvent Event(RecordingRig rig, long startFrame, long decidedFrame, long track) => new()
    {
        RuleId = track == 7 ? "lane" : "red",
        Kind = track == 7 ? RuleKind.BusLane : RuleKind.RedLight,
        CameraId = "cam",
        TrackId = track,
        Class = ObjectClass.Car,
        WindowStart = rig.TimeOf(startFrame),
        WindowEnd = rig.TimeOf(decidedFrame),
        Boxes = [new TrackPoint(new FrameTime(TimeSpan.Zero, rig.TimeOf(decidedFrame)), new BoxF(1, 2, 3, 4), true, 0.9f)],
        FrameWidth = rig.Width,
        FrameHeight = rig.Height,
        Confidence = 0.8125,
        DwellSeconds = track == 7 ? 3.25 : null,
        Signal = track == 7 ? null : SignalPhase.Red,
        RedSeconds = track == 7 ? null : 1.5,
        SpeedKmh = track == 7 ? null : 48.2,
        SpeedUncertaintyKmh = track == 7 ? null : 2.05,
    };

    /// <summary>Records frames 0..45 with an event decided at frame 29 and a second merged at 32; returns what was sealed.</summary>
    private static async Task<(ClipOutcome Outcome, EvidenceMetadata? Metadata, byte[]? Mp4, RecordingRig Rig, PassThroughAnonymiser Anonymiser, RecordingMetrics Metrics)> RecordAsync(string ffmpeg, CancellationToken cancellationToken, VaultException? vaultRefuses = null, int lookAheadFrames = 0)
    {
        var rig = new RecordingRig(width: 64, height: 48);
        var anonymiser = new PassThroughAnonymiser();
        var metrics = new RecordingMetrics();
        EvidenceMetadata? sealedMetadata = null;
        byte[]? mp4 = null;
        var writer = new ClipWriter(anonymiser, async (m, s, ct) =>
        {
            using var copy = new MemoryStream();
            await s.CopyToAsync(copy, ct);
            if (vaultRefuses is not null)
            {
                throw vaultRefuses;
            }

            (sealedMetadata, mp4) = (m, copy.ToArray());
            return "019ad2c4-8f00-7000-8000-00000000abcd";
        }, Settings(ffmpeg), metrics, NullLogger.Instance);

        Task<ClipOutcome>? run = null;
        var tracker = new ObjectTracker();
        using var recorder = new CameraRecorder("cam", 10, Options, rig.ClipMemory(), () => default, clip => run = writer.RunAsync(clip, rig.Fps, cancellationToken), lookAheadFrames);
        for (var s = 0; s <= 45; s++)
        {
            var item = rig.Frame(s);
            tracker.Update(item.Detections, new FrameTime(item.Pts, item.CaptureTime));
            recorder.OnFrame(item, tracker.Tracks);
            item.Release();
            if (s == 29)
            {
                recorder.OnEvent(Event(rig, 25, 29, track: 7) with { TrackId = tracker.Tracks[0].Id });
            }

            if (s == 32)
            {
                recorder.OnEvent(Event(rig, 31, 32, track: 9));
            }
        }

        var outcome = await run!;
        recorder.Dispose();
        return (outcome, sealedMetadata, mp4, rig, anonymiser, metrics);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_LookAheadFrames_PassTheAnonymiserButAreNeverEncodedNorCounted(CancellationToken cancellationToken)
    {
        var (outcome, metadata, mp4, rig, anonymiser, _) = await RecordAsync("ffmpeg", cancellationToken, lookAheadFrames: 2);

        Assert.That(outcome, Is.EqualTo(ClipOutcome.Sealed));
        Assert.That(anonymiser.Pushed, Is.EqualTo(Enumerable.Range(20, 25).Select(i => (long)i)), "the clip's 20..42, then 43 and 44 for the look-ahead");
        Assert.That(await RecordingRig.DecodeAsync(mp4!, rig.Width, rig.Height, cancellationToken), Has.Count.EqualTo(23), "only the clip's own frames are encoded");
        Assert.That(metadata!.Anonymisation.Frames, Is.EqualTo(23), "the summary is the recorded frames'");
        Assert.That(metadata.Video.Frames, Is.EqualTo(23));
        Assert.That(rig.Pool.InUse, Is.Zero);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_MergedClip_EncodesEveryAnonymisedFrameIntoAFragmentedMp4InMemory(CancellationToken cancellationToken)
    {
        var (outcome, metadata, mp4, rig, anonymiser, metrics) = await RecordAsync("ffmpeg", cancellationToken);

        Assert.That(outcome, Is.EqualTo(ClipOutcome.Sealed));
        Assert.That(anonymiser.Pushed, Is.EqualTo(Enumerable.Range(20, 23).Select(i => (long)i)), "frames 20..42 in order: the ring's pre-roll, then to the second event's post-roll (4.2 s)");
        Assert.That(anonymiser.Subjects.Single().Offenders.Keys, Is.EquivalentTo(new[] { 1L, 9L }), "one subject, every offender of every merged event");
        Assert.That(mp4.AsSpan(4, 4).ToArray(), Is.EqualTo("ftyp"u8.ToArray()));
        Assert.That(System.Text.Encoding.ASCII.GetString(mp4!), Does.Contain("moof"), "fragmented (-movflags frag_keyframe+empty_moov)");

        var decoded = await RecordingRig.DecodeAsync(mp4!, rig.Width, rig.Height, cancellationToken);
        Assert.That(decoded, Has.Count.EqualTo(23));
        var expected = new byte[rig.Width * rig.Height * 3];
        for (var i = 0; i < decoded.Count; i++)
        {
            RecordingRig.Paint(expected, rig.Width, rig.Height, 20 + i);
            Assert.That(RecordingRig.MeanAbsoluteDifference(decoded[i], expected), Is.LessThan(6), $"frame {i} (sequence {20 + i}) decodes to roughly its pixels");
        }

        Assert.That(metrics.For("cam"), Is.EqualTo((1L, 0L, 0L, 23L)));
        Assert.That(rig.Pool.InUse, Is.Zero, "every raw frame released exactly once");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_MergedClip_ManifestListsEveryEventOffenderAndTheAnonymisation(CancellationToken cancellationToken)
    {
        var (_, metadata, _, rig, _, _) = await RecordAsync("ffmpeg", cancellationToken);
        var m = metadata!;

        Assert.That((m.CameraId, m.RuleId, m.RuleType), Is.EqualTo(("cam", "lane", "bus_lane")));
        Assert.That(m.Events.Select(e => (e.RuleId, e.RuleType, e.TrackId)), Is.EqualTo(new[] { ("lane", "bus_lane", 1L), ("red", "red_light", 9L) }));
        var lane = m.Events[0];
        Assert.That((lane.ConfidencePermille, lane.DwellMilliseconds, lane.Signal, lane.SpeedMetresPerHour), Is.EqualTo((813, 3250L, (string?)null, (long?)null)));
        var red = m.Events[1];
        Assert.That((red.Signal, red.RedMilliseconds, red.SpeedMetresPerHour, red.SpeedUncertaintyMetresPerHour), Is.EqualTo(("red", 1500L, 48200L, 2050L)));
        Assert.That(m.EventStart, Is.EqualTo(rig.TimeOf(25)));
        Assert.That(m.EventEnd, Is.EqualTo(rig.TimeOf(32)));
        Assert.That((m.ClipStart, m.ClipEnd), Is.EqualTo((rig.TimeOf(20), rig.TimeOf(42))));

        var offender = m.Offenders.Single();
        Assert.That((offender.TrackId, offender.Class, offender.Frames), Is.EqualTo((1L, "person", 23)), "track 9 never appeared on a frame; track 1 (the tracked person) on every one");
        Assert.That(offender.FirstBox, Is.EqualTo(new ManifestBox(10, 10, 30, 40)));

        Assert.That(m.Plate, Is.EqualTo(new ManifestPlate { TrackId = 7, Text = "ABC123", ConfidencePermille = 875, FrameSequence = 21 }));
        Assert.That((m.Anonymisation.Frames, m.Anonymisation.FacesObscured, m.Anonymisation.PlatesObscured, m.Anonymisation.Method), Is.EqualTo((23, 46, 23, "test_pass_through")));
        Assert.That(m.ModelSha256.Keys, Is.EquivalentTo(new[] { "centernet", "test-face" }), "live-path and clip-path models");
        Assert.That(m.ModelSha256["centernet"], Is.EqualTo(new string('b', 64)), "hashes in lower case, as the manifest rules demand");
        Assert.That(m.Video, Is.EqualTo(new ManifestVideo { Encoder = "libx264", Width = 64, Height = 48, Frames = 23, FrameRateMillihertz = 10_000 }));
        Assert.That(m.StreamHealth, Is.EqualTo(new StreamHealth(23, 0, 0, 0, 0)));
        Assert.That(m.ClockSync, Is.EqualTo(new ClockSyncState(true, "ntp", 1500)));
        Assert.That(m.ConfigSha256, Is.EqualTo(new string('c', 64)));
        Assert.That(m.SoftwareVersion, Does.StartWith("0."));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_EncoderCannotStart_ClipFailsIsCountedAndEveryFrameReleased(CancellationToken cancellationToken)
    {
        var (outcome, metadata, _, rig, anonymiser, metrics) = await RecordAsync("/nonexistent/ffmpeg", cancellationToken);

        Assert.That(outcome, Is.EqualTo(ClipOutcome.Failed));
        Assert.That(metadata, Is.Null, "nothing sealed");
        Assert.That(metrics.For("cam"), Is.EqualTo((0L, 0L, 1L, 0L)));
        Assert.That(anonymiser.Disposed, Is.EqualTo(1));
        Assert.That(rig.Pool.InUse, Is.Zero);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_FailedWhileTheClipIsStillOpen_FramesQueuedAfterTheFailureAreReleasedToo(CancellationToken cancellationToken)
    {
        var rig = new RecordingRig();
        var metrics = new RecordingMetrics();
        var writer = new ClipWriter(new PassThroughAnonymiser { LookAhead = 0 }, (_, _, _) => Task.FromResult("never"), Settings("/nonexistent/ffmpeg"), metrics, NullLogger.Instance);
        Task<ClipOutcome>? run = null;
        using var recorder = new CameraRecorder("cam", 10, Options, rig.ClipMemory(), () => default, clip => run = Task.Run(() => writer.RunAsync(clip, rig.Fps, cancellationToken), cancellationToken));
        rig.Feed(recorder, 0, 29);
        recorder.OnEvent(Event(rig, 25, 29, track: 7));

        // The encoder fails on the clip's first frame; the live path keeps queueing the open clip's frames after that.
        await Eventually.AssertAsync(() => metrics.For("cam").Failed == 1, TimeSpan.FromSeconds(30), () => "the clip failed", cancellationToken);
        rig.Feed(recorder, 30, 45);
        var outcome = await run!;

        Assert.That(outcome, Is.EqualTo(ClipOutcome.Failed));
        recorder.Dispose();
        Assert.That(rig.Pool.InUse, Is.Zero, "frames that arrived after the failure were released as they came");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_VaultFull_ClipFailsIsCountedAndEveryFrameReleased(CancellationToken cancellationToken)
    {
        var (outcome, _, _, rig, _, metrics) = await RecordAsync("ffmpeg", cancellationToken, new VaultException(VaultErrorKind.Full, "vault quota of 1 MiB is full"));

        Assert.That(outcome, Is.EqualTo(ClipOutcome.Failed));
        Assert.That(metrics.For("cam"), Is.EqualTo((0L, 0L, 1L, 0L)));
        Assert.That(rig.Pool.InUse, Is.Zero);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Build_EncoderExitsNonZero_TypedExceptionCarriesFfmpegsLastLines(CancellationToken cancellationToken)
    {
        await using var encoder = FfmpegClipEncoder.Start("ffmpeg", ClipEncoder.Libx264, 63, 47, 10, 23); // odd sizes: yuv420p refuses

        try
        {
            await encoder.WriteBlankAsync(cancellationToken);
        }
        catch (IOException)
        {
            // ffmpeg may already have given up: FinishAsync reports why.
        }

        var e = await Assert.ThrowsAsync<ClipEncoderException>(async () => await encoder.FinishAsync(TimeSpan.FromSeconds(20), cancellationToken));

        Assert.That(e!.Message, Does.StartWith("libx264 "));
        Assert.That(e.LastLines, Is.Not.Empty, "ffmpeg's own words");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ResolveAsync_Auto_PicksAnEncoderThatPassesItsTestEncode(CancellationToken cancellationToken)
    {
        var probe = new EncoderProbe("ffmpeg", NullLogger.Instance);

        var chosen = await probe.ResolveAsync(ClipEncoder.Auto, cancellationToken);

        Assert.That(chosen, Is.AnyOf(ClipEncoder.H264Nvenc, ClipEncoder.H264V4l2m2m, ClipEncoder.Libx264));
        Assert.That(await probe.TryAsync(chosen, cancellationToken), Is.Null);
        Assert.That(await probe.TryAsync(ClipEncoder.H264Vaapi, cancellationToken), Is.Not.Null, "no VA-API device on this machine");
    }

    [Test]
    public void Build_Libx264_RawBgrInFragmentedMp4OutOnPipes()
    {
        var args = ClipEncoderArguments.Build(ClipEncoder.Libx264, 1280, 720, 10, 23);

        Assert.That(string.Join(" ", args), Is.EqualTo(
            "-hide_banner -loglevel error -f rawvideo -pix_fmt bgr24 -video_size 1280x720 -framerate 10 -i pipe:0 -an -c:v libx264 "
            + "-preset veryfast -crf 23 -pix_fmt yuv420p -g 10 -movflags frag_keyframe+empty_moov+default_base_moof -f mp4 pipe:1"));
        Assert.That(ClipEncoderArguments.Name(ClipEncoder.H264V4l2m2m), Is.EqualTo("h264_v4l2m2m"));
    }
}
