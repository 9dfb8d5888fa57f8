using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Detection;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>
/// The clip path's policy, persistence and fail-closed cases on a textured picture with detectors scripted at
/// the seam (which frame finds what), so each case is exact. The real models through the same path are in
/// <see cref="ClipPathRealModelTests"/>.
/// </summary>
internal sealed class ClipAnonymisationTests
{
    private const int W = 320;
    private const int H = 240;

    private static readonly byte[] Picture = ClipRig.Textured(W, H);

    private static readonly PrivacyOptions Options = new() { Method = ObscureMethod.Fill, Dilation = 0, LookAheadFrames = 2, PersistenceFrames = 2, HeadRegion = false };

    private static bool Filled(AnonymisedFrame frame, BoxF box)
    {
        var pixels = frame.Pixels;
        for (var y = (int)box.Y1; y < (int)box.Y2; y++)
        {
            if (pixels.Slice(((y * W) + (int)box.X1) * 3, ((int)box.X2 - (int)box.X1) * 3).ContainsAnyExcept(Obscurer.FillValue))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Untouched(AnonymisedFrame frame, BoxF box) => PatchStats.Same(Picture, frame.Pixels, W, box);

    private static ClipAnonymiser Anonymiser(PrivacyOptions options, IClipDetector faces, IClipDetector? plates = null, ILogger? logger = null) =>
        new(options, new ClipModels([faces], plates, null), new PrivacyMetrics(), logger ?? NullLogger.Instance);

    private static ScriptedDetector Faces(Dictionary<long, BoxF[]>? script = null) => new("faces", ObjectClass.Face, script ?? []);

    private static ClipSubject Subject(string camera, params long[] offenders) =>
        new(camera, offenders.ToDictionary(id => id, _ => (IReadOnlyList<TrackPoint>)[]));

    [Test]
    public void Run_WithAFrameObserver_EachReleasedFrameIsReportedWithWhatWasObscuredOnIt()
    {
        var rig = new ClipRig(W, H);
        var face = new BoxF(100, 100, 140, 140);
        var observer = new RecordingObserver();
        using var clip = new ClipAnonymiser(Options, new ClipModels([Faces(new() { [2] = [face] })], null, null), new PrivacyMetrics(), NullLogger.Instance, observer).Open(Subject("cam"));

        var frames = Enumerable.Range(0, 6).Select(i => rig.Frame(Picture, i, analysed: i != 5)).ToList();
        var output = ClipRig.Run(clip, frames);

        Assert.That(output, Has.Count.EqualTo(6));
        // The face found on frame 2 is obscured on frames 0-3 (persistence 2); frame 4's look-ahead was cut by the clip's
        // end and frame 5 was not analysed, so both are masked whole.
        Assert.That(observer.Frames, Is.EqualTo(new List<(string, long, int, int, bool)>
        {
            ("cam", 0L, 1, 0, false), ("cam", 1L, 1, 0, false), ("cam", 2L, 1, 0, false), ("cam", 3L, 1, 0, false), ("cam", 4L, 0, 0, true), ("cam", 5L, 0, 0, true),
        }));
        Assert.That(observer.Frames.Sum(f => f.Faces), Is.EqualTo(clip.Summary.FacesObscured), "the observer's counts add up to the clip's summary");
    }

    private sealed class RecordingObserver : Sensen.Edge.Pipeline.IFrameObserver
    {
        public List<(string Camera, long Sequence, int Faces, int Plates, bool MaskedWhole)> Frames { get; } = [];

        public void LiveFrame(string cameraId, long sequence, TimeSpan pts, bool analysed, int detections) => throw new InvalidOperationException("the clip path reports clip frames only");

        public void ClipFrame(string cameraId, long sequence, int facesObscured, int platesObscured, bool maskedWhole) =>
            Frames.Add((cameraId, sequence, facesObscured, platesObscured, maskedWhole));
    }

    [Test]
    public void Run_FaceFoundOnlyAtFrameFive_ObscuredOnFramesThreeToSeven()
    {
        var rig = new ClipRig(W, H);
        var face = new BoxF(100, 100, 140, 140);
        using var clip = Anonymiser(Options, Faces(new() { [5] = [face] })).Open(Subject("cam"));

        var output = ClipRig.Run(clip, Enumerable.Range(0, 11).Select(i => rig.Frame(Picture, i)));

        Assert.That(output.Select(f => f.Sequence), Is.EqualTo(Enumerable.Range(0, 11).Select(i => (long)i)));
        Assert.That(output.Where(f => Filled(f, face)).Select(f => f.Sequence), Is.EqualTo(new long[] { 3, 4, 5, 6, 7 }));
        Assert.That(output.Where(f => !f.IsMaskedWhole && Untouched(f, face)).Select(f => f.Sequence), Is.EqualTo(new long[] { 0, 1, 2, 8 }));
        Assert.That(clip.Summary.FacesObscured, Is.EqualTo(5));
        Assert.That(rig.InUse, Is.Zero, "every clip frame released once");
    }

    [Test]
    public void Run_FaceInTrackedPerson_ObscuredWhereTheTrackIsBeforeAndAfter()
    {
        var rig = new ClipRig(W, H);
        // A person walking right 30 px a frame; its face is found on frame 5 only.
        BoxF Person(long i) => new(10 + (30 * i), 60, 50 + (30 * i), 200);
        BoxF FaceAt(long i) => new(20 + (30 * i), 65, 40 + (30 * i), 85);
        var faces = Faces(new() { [5] = [FaceAt(5)] });
        using var clip = Anonymiser(Options, faces).Open(Subject("cam"));

        var output = ClipRig.Run(clip, Enumerable.Range(0, 8).Select(i => rig.Frame(Picture, i, tracks: [new TrackedBox(1, ObjectClass.Person, Person(i), true)])));

        for (var i = 3; i <= 7; i++)
        {
            if (!output[i].IsMaskedWhole)
            {
                Assert.That(Filled(output[i], FaceAt(i)), Is.True, $"frame {i}: the face at the track's position");
                Assert.That(Untouched(output[i], FaceAt(5)) || i == 5, Is.True, $"frame {i}: not where it was found");
            }
        }

        Assert.That(Untouched(output[2], FaceAt(2)), Is.True, "frame 2 is beyond persistence");
        Assert.That(faces.Regions, Does.Contain(Person(5) with { Y2 = 60 + (140 * 0.5f) }), "faces are searched in the person's upper half");
    }

    [Test]
    public void Run_HeadRegion_UpperPartOfEveryPersonObscured()
    {
        var rig = new ClipRig(W, H);
        var person = new BoxF(50, 40, 110, 200);
        using var clip = Anonymiser(Options with { HeadRegion = true, LookAheadFrames = 0, PersistenceFrames = 0 }, Faces()).Open(Subject("cam"));

        var output = ClipRig.Run(clip, [rig.Frame(Picture, 0, tracks: [new TrackedBox(3, ObjectClass.Person, person, true)])]);

        Assert.That(Filled(output[0], new BoxF(50, 40, 110, 80)), Is.True, "the upper quarter");
        Assert.That(Untouched(output[0], new BoxF(50, 80, 110, 200)), Is.True, "the body below it");
        Assert.That(clip.Summary.FacesObscured, Is.EqualTo(1), "heads count with faces");
    }

    [Test]
    public void Run_PlatesOnVehicles_OffendersKeptBystandersObscured()
    {
        var rig = new ClipRig(W, H);
        var offender = new BoxF(20, 100, 140, 200);
        var bystander = new BoxF(180, 100, 300, 200);
        var offenderPlate = new BoxF(60, 170, 100, 185);
        var bystanderPlate = new BoxF(220, 170, 260, 185);
        var plates = new ScriptedDetector("plates", ObjectClass.Text, new() { [0] = [offenderPlate, bystanderPlate], [1] = [offenderPlate, bystanderPlate] });
        using var clip = Anonymiser(Options with { LookAheadFrames = 0, PersistenceFrames = 0 }, Faces(), plates).Open(Subject("cam", 7));
        TrackedBox[] tracks = [new(7, ObjectClass.Car, offender, true), new(8, ObjectClass.Truck, bystander, true)];

        var output = ClipRig.Run(clip, [rig.Frame(Picture, 0, tracks: tracks), rig.Frame(Picture, 1, tracks: tracks)]);

        Assert.That(output.Select(f => Untouched(f, offenderPlate)), Is.All.True, "the offender's plate stays");
        Assert.That(output.Select(f => Filled(f, bystanderPlate)), Is.All.True, "the bystander's plate goes");
        Assert.That(plates.Regions, Is.EqualTo(new[] { offender, bystander, offender, bystander }), "the plate detector runs on every vehicle crop");
        Assert.That(clip.Summary.PlatesObscured, Is.EqualTo(2));
    }

    [Test]
    public void Run_OffenderBeforeItsTrackReachedTheClip_PlateKeptByTheEventBox()
    {
        var rig = new ClipRig(W, H);
        var offender = new BoxF(20, 100, 140, 200);
        var plate = new BoxF(60, 170, 100, 185);
        var plates = new ScriptedDetector("plates", ObjectClass.Text, new() { [0] = [plate] });
        var subject = new ClipSubject("cam", new Dictionary<long, IReadOnlyList<TrackPoint>> { [7] = [new TrackPoint(new FrameTime(ClipRig.PtsOf(0), DateTimeOffset.UnixEpoch), offender, true, 0.9f)] });
        using var clip = Anonymiser(Options with { LookAheadFrames = 0, PersistenceFrames = 0 }, Faces(), plates).Open(subject);

        var output = ClipRig.Run(clip, [rig.Frame(Picture, 0)]);

        Assert.That(Untouched(output[0], plate), Is.True);
        Assert.That(clip.Summary.PlatesObscured, Is.Zero);
    }

    [Test]
    public void Run_LivePathFacesAndPlates_ObscuredToo()
    {
        var rig = new ClipRig(W, H);
        var face = new BoxF(10, 10, 30, 30);
        var plate = new BoxF(200, 200, 240, 215);
        using var clip = Anonymiser(Options with { LookAheadFrames = 0, PersistenceFrames = 0 }, Faces()).Open(Subject("cam"));

        var output = ClipRig.Run(clip, [rig.Frame(Picture, 0, detections: [new DetectedObject(face, ObjectClass.Face, 0.6f), new DetectedObject(plate, ObjectClass.Plate, 0.6f)])]);

        Assert.That(Filled(output[0], face) && Filled(output[0], plate), Is.True);
    }

    /// <summary>
    /// The frames Recording hands a clip past its window, only as the look-ahead of its last frames, lack their own
    /// look-ahead by nature: they are masked and dropped by the writer, and must not show as masked frames in the
    /// metrics, the journal (a warning at every clip's end) or the frame observer.
    /// </summary>
    [Test]
    public void Run_LookAheadFramesPastTheClipsEnd_NotCountedLoggedOrObservedAsMasked()
    {
        var camera = "cam-" + Guid.NewGuid().ToString("N");
        using var measured = new PrivacyMeasurements(camera);
        using var logs = new LogCapture();
        var observer = new RecordingObserver();
        var rig = new ClipRig(W, H);
        var face = new BoxF(100, 100, 140, 140);
        using var clip = new ClipAnonymiser(Options, new ClipModels([Faces(new() { [3] = [face] })], null, null), new PrivacyMetrics(), logs.CreateLogger("privacy"), observer).Open(Subject(camera));

        var output = new List<AnonymisedFrame>();
        for (var i = 0; i < 6; i++)
        {
            var frame = rig.Frame(Picture, i);
            if (i < 4)
            {
                clip.Push(frame);
            }
            else
            {
                clip.PushLookAhead(frame);
            }

            while (clip.TryTake(out var ready))
            {
                output.Add(ready);
            }
        }

        clip.Complete();
        while (clip.TryTake(out var ready))
        {
            output.Add(ready);
        }

        Assert.That(output.Select(f => (f.Sequence, f.IsMaskedWhole)), Is.EqualTo(new[] { (0L, false), (1L, false), (2L, false), (3L, false), (4L, true), (5L, true) }), "the clip's four frames had their look-ahead; the two past it did not");
        Assert.That(clip.Summary.MaskedWholeReasons, Is.EquivalentTo(new Dictionary<string, int> { ["look_ahead_cut"] = 2 }), "the summary counts every frame taken (ClipWriter takes the look-ahead ones off)");
        Assert.That(measured["sensen.edge.privacy.frames_masked_whole{reason=look_ahead_cut}"], Is.Zero);
        Assert.That(logs.Lines.Where(l => l.Contains("masked whole", StringComparison.Ordinal)), Is.Empty, logs.Text);
        Assert.That(observer.Frames.Select(f => (f.Sequence, f.MaskedWhole)), Is.EqualTo(new[] { (0L, false), (1L, false), (2L, false), (3L, false) }));
        Assert.That(measured["sensen.edge.privacy.regions_obscured{kind=face}"], Is.EqualTo(observer.Frames.Sum(f => f.Faces)).And.GreaterThan(0), "regions are metered on the clip's frames only");
        Assert.That(rig.InUse, Is.Zero);
    }

    [Test]
    public void Run_DetectorFailsOnOneFrameAndFramesNotAnalysed_ThoseMaskedWholeCountedLoggedOncePerReason()
    {
        var camera = "cam-" + Guid.NewGuid().ToString("N");
        using var measured = new PrivacyMeasurements(camera);
        using var logs = new LogCapture();
        var rig = new ClipRig(W, H);
        var face = new BoxF(100, 100, 140, 140);
        var faces = new FailingDetector(Faces(new() { [4] = [face], [6] = [face] }), failOn: 5);
        using var clip = Anonymiser(Options, faces, logger: logs.CreateLogger("privacy")).Open(Subject(camera));

        var output = ClipRig.Run(clip, Enumerable.Range(0, 10).Select(i => rig.Frame(Picture, i, analysed: i is not (2 or 3))));

        Assert.That(output.Where(f => f.IsMaskedWhole).Select(f => f.Sequence), Is.EqualTo(new long[] { 2, 3, 5, 8, 9 }));
        Assert.That(output.Where(f => f.IsMaskedWhole).Select(f => f.Pixels.ContainsAnyExcept((byte)0)), Is.All.False, "nothing of the source");
        Assert.That(Filled(output[4], face) && Filled(output[6], face), Is.True, "the frames beside the failure are anonymised as ever");
        var summary = clip.Summary;
        Assert.That(summary.Frames, Is.EqualTo(10));
        Assert.That(summary.FramesMaskedWhole, Is.EqualTo(5));
        Assert.That(summary.MaskedWholeReasons, Is.EquivalentTo(new Dictionary<string, int> { ["not_analysed"] = 2, ["model_failed"] = 1, ["look_ahead_cut"] = 2 }));
        Assert.That(measured["sensen.edge.privacy.frames_masked_whole{reason=not_analysed}"], Is.EqualTo(2));
        Assert.That(measured["sensen.edge.privacy.frames_masked_whole{reason=model_failed}"], Is.EqualTo(1));
        Assert.That(measured["sensen.edge.privacy.frames_masked_whole{reason=look_ahead_cut}"], Is.EqualTo(2));
        Assert.That(measured["sensen.edge.privacy.regions_obscured{kind=face}"], Is.EqualTo(summary.FacesObscured).And.GreaterThan(0));
        Assert.That(logs.Lines.Count(l => l.Contains("masked whole", StringComparison.Ordinal)), Is.EqualTo(3), logs.Text);
        Assert.That(logs.Text, Does.Contain($"frame 5 masked whole (model_failed: InferenceException: forced failure on frame 5)"));
        Assert.That(rig.InUse, Is.Zero);
    }

    [Test]
    public void TryTake_BeforeTheLookAheadArrived_WaitsThenGivesFramesInOrder()
    {
        var rig = new ClipRig(W, H);
        using var clip = Anonymiser(Options, Faces()).Open(Subject("cam"));

        clip.Push(rig.Frame(Picture, 0));
        clip.Push(rig.Frame(Picture, 1));
        Assert.That(clip.TryTake(out _), Is.False, "frame 0 has one frame of its two of look-ahead");
        clip.Push(rig.Frame(Picture, 2));
        Assert.That(clip.TryTake(out var first), Is.True);
        Assert.That(first.Sequence, Is.Zero);
        Assert.That(first.IsMaskedWhole, Is.False);
        Assert.That(clip.TryTake(out _), Is.False);
    }

    [Test]
    public void Dispose_WithFramesHeld_ReleasesEachOnce()
    {
        var rig = new ClipRig(W, H);
        var clip = Anonymiser(Options, Faces()).Open(Subject("cam"));
        for (var i = 0; i < 3; i++)
        {
            clip.Push(rig.Frame(Picture, i));
        }

        clip.Dispose();
        clip.Dispose();

        Assert.That(rig.InUse, Is.Zero);
    }

    [Test]
    public void Push_AfterComplete_ThrowsAndReleasesTheFrame()
    {
        var rig = new ClipRig(W, H);
        using var clip = Anonymiser(Options, Faces()).Open(Subject("cam"));
        clip.Complete();

        Assert.That(() => clip.Push(rig.Frame(Picture, 0)), Throws.InvalidOperationException);
        Assert.That(rig.InUse, Is.Zero);
    }

    [Test]
    public void Summary_NamesMethodAndModelHashes()
    {
        using var clip = Anonymiser(Options with { Method = ObscureMethod.Mosaic }, Faces()).Open(Subject("cam"));

        Assert.That(clip.Summary.Method, Is.EqualTo("mosaic"));
        Assert.That(clip.Summary.Models, Does.ContainKey("face-tiny").WithValue(ModelManifestReader.Read(RepoPaths.Models, "face-tiny").Sha256));
    }
}
