using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Detection;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tests.Detection;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>
/// The real clip path: real ONNX Runtime sessions (face-tiny, PP-OCRv4 det and rec, on the CPU) on real
/// photographs, through <see cref="ClipAnonymiser"/>. The ground truth is what the same face model finds on
/// the original picture; after the clip path, each of those faces must be gone: the model finds no face in
/// the output and the grey-value correlation of every original face patch with the output is below
/// <see cref="Threshold"/> (privacy recall over all frames: 100 %).
/// </summary>
internal sealed class ClipPathRealModelTests : IDisposable
{
    private const double Threshold = 0.3;

    /// <summary>The plate of licenseplate_motion.jpg as PP-OCRv4 finds it at 736x608 (RealModelTests pins it).</summary>
    private static readonly BoxF Plate = new(281, 212, 345, 248);

    private OnnxDetector _faces = null!;
    private OnnxDetector _plates = null!;
    private TextRecognizer _recognizer = null!;
    private ModelDescriptor _recognizerModel = null!;
    private string _platesDirectory = null!;

    [OneTimeSetUp]
    public void LoadModels()
    {
        _faces = TestModels.Detector(RepoPaths.Models, "face-tiny");

        // As RealModelTests: the motion-blurred plate needs the det model at 1.25x (same model file and hash).
        _platesDirectory = TestModels.NewModelsDirectory();
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Models, "ppocr-v4-det.yaml"))
            .Replace("input_width: 960", "input_width: 736", StringComparison.Ordinal)
            .Replace("input_height: 544", "input_height: 608", StringComparison.Ordinal)
            .Replace("file: ", $"file: {RepoPaths.Models}/", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_platesDirectory, "plates.yaml"), yaml);
        _plates = TestModels.Detector(_platesDirectory, "plates");
        _recognizerModel = ModelManifestReader.Read(RepoPaths.Models, "ppocr-v4-rec");
        _recognizer = new TextRecognizer(TestModels.CpuFactory().Create(_recognizerModel));
    }

    /// <summary>NUnit disposes the fixture after its last test.</summary>
    public void Dispose()
    {
        _faces.Dispose();
        _plates.Dispose();
        _recognizer.Dispose();
        Directory.Delete(_platesDirectory, recursive: true);
    }

    private ClipAnonymiser Anonymiser(PrivacyOptions options, IClipDetector? faces = null) =>
        new(options, new ClipModels([faces ?? new OnnxClipDetector(_faces)], new OnnxClipDetector(_plates), null, _recognizer, _recognizerModel), new PrivacyMetrics(), NullLogger.Instance);

    private List<DetectedObject> FacesIn(ReadOnlySpan<byte> bgr, int width, int height)
    {
        var found = new List<DetectedObject>();
        _faces.Detect(bgr, width, height, found);
        return found;
    }

    [TestCase(1, ObscureMethod.Fill)]
    [TestCase(6, ObscureMethod.Mosaic)]
    public void Run_FaceApiPhoto_EveryFaceGoneFromEveryFrame(int sample, ObscureMethod method)
    {
        var (bgr, width, height) = OperatorImage.Load(TestImages.FaceApiSample(sample));
        var truth = FacesIn(bgr, width, height);
        Assert.That(truth, Is.Not.Empty, "the ground truth: faces the model finds in the original");
        var rig = new ClipRig(width, height, 4);
        using var clip = Anonymiser(new PrivacyOptions { Method = method, LookAheadFrames = 1, PersistenceFrames = 1 }).Open(new ClipSubject("cam", new Dictionary<long, IReadOnlyList<TrackPoint>>()));

        var output = ClipRig.Run(clip, Enumerable.Range(0, 3).Select(i => rig.Frame(bgr, i)));

        var anonymised = output.Where(f => !f.IsMaskedWhole).ToList();
        Assert.That(anonymised, Has.Count.EqualTo(2), "the last frame's look-ahead was cut by the clip's end");
        var obscured = 0;
        foreach (var frame in anonymised)
        {
            Assert.That(FacesIn(frame.Pixels, width, height), Is.Empty, $"frame {frame.Sequence}: the face model finds nothing left");
            foreach (var face in truth)
            {
                var r = PatchStats.Correlation(bgr, frame.Pixels, width, face.Box);
                TestContext.Out.WriteLine($"frame {frame.Sequence} face {face.Box}: r = {r:0.000}");
                obscured += Math.Abs(r) < Threshold ? 1 : 0;
            }
        }

        Assert.That(obscured, Is.EqualTo(truth.Count * anonymised.Count), "privacy recall over all frames");
        Assert.That(clip.Summary.FacesObscured, Is.GreaterThanOrEqualTo(truth.Count * anonymised.Count));
    }

    [Test]
    public void Run_FaceDetectorFailsOnOneFrame_ThatFrameMaskedWholeTheOthersWithoutFaces()
    {
        var (bgr, width, height) = OperatorImage.Load(TestImages.FaceApiSample(2));
        var rig = new ClipRig(width, height, 4);
        using var clip = Anonymiser(new PrivacyOptions { LookAheadFrames = 0, PersistenceFrames = 0 }, new FailingDetector(new OnnxClipDetector(_faces), failOn: 1)).Open(new ClipSubject("cam", new Dictionary<long, IReadOnlyList<TrackPoint>>()));

        var output = ClipRig.Run(clip, Enumerable.Range(0, 3).Select(i => rig.Frame(bgr, i)));

        Assert.That(output.Select(f => f.IsMaskedWhole), Is.EqualTo(new[] { false, true, false }));
        Assert.That(output[1].Pixels.ContainsAnyExcept((byte)0), Is.False);
        Assert.That(FacesIn(output[0].Pixels, width, height), Is.Empty);
        Assert.That(FacesIn(output[2].Pixels, width, height), Is.Empty);
        Assert.That(clip.Summary.MaskedWholeReasons, Is.EquivalentTo(new Dictionary<string, int> { ["model_failed"] = 1 }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Run_LicencePlateOnAVehicle_BystandersObscuredOffendersKept(bool offender)
    {
        var (bgr, width, height) = OperatorImage.Load(TestImages.LicensePlate);
        var rig = new ClipRig(width, height, 2);
        var car = new TrackedBox(7, ObjectClass.Car, new BoxF(0, 0, width, height), true);
        using var clip = Anonymiser(new PrivacyOptions { LookAheadFrames = 0, PersistenceFrames = 0 }).Open(Subject(offender ? 7 : null));

        var output = ClipRig.Run(clip, [rig.Frame(bgr, 0, tracks: [car])]);

        var frame = output.Single();
        Assert.That(frame.IsMaskedWhole, Is.False);
        var r = PatchStats.Correlation(bgr, frame.Pixels, width, Plate);
        TestContext.Out.WriteLine($"plate (offender: {offender}): r = {r:0.000}");
        if (offender)
        {
            Assert.That(PatchStats.Same(bgr, frame.Pixels, width, Plate), Is.True, "the offender's plate stays as it was");
            Assert.That(clip.Summary.PlatesObscured, Is.Zero);
            Assert.That(clip.Plate, Is.Not.Null, "the offender's plate was read (this motion-blurred one badly)");
            Assert.That(clip.Plate!.TrackId, Is.EqualTo(7));
        }
        else
        {
            Assert.That(Math.Abs(r), Is.LessThan(Threshold));
            Assert.That(clip.Summary.PlatesObscured, Is.GreaterThanOrEqualTo(1));
            Assert.That(clip.Plate, Is.Null, "no bystander plate is read");
        }
    }

    /// <summary>
    /// No photograph here has a readable plate, so the reading is proven on printed text (OpenCV's
    /// imageTextN.png, whose first line TextRecognizerTests pins) standing in a vehicle's box: the offender's
    /// is read word for word across the clip; a bystander's is gone.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void Run_TextInAVehicle_OffendersReadExactlyBystandersUnreadable(bool offender)
    {
        const string FirstLine = "technical details are too complex to cover in the book itself.";
        var (bgr, width, height) = OperatorImage.Load(Path.Combine(RepoPaths.OpenCvSamples, "imageTextN.png"));
        using var lines = TestModels.Detector(RepoPaths.Models, "ppocr-v4-det");
        var found = new List<DetectedObject>();
        lines.Detect(bgr, width, height, found);
        var line = found.OrderBy(b => b.Box.Y1).First().Box;
        Assert.That(_recognizer.Read(bgr, width, height, width * 3, line).Text, Is.EqualTo(FirstLine), "the ground truth");
        var vehicle = new TrackedBox(7, ObjectClass.Bus, new BoxF(Math.Max(0, line.X1 - 20), Math.Max(0, line.Y1 - 20), Math.Min(width, line.X2 + 20), Math.Min(height, line.Y2 + 20)), true);
        var rig = new ClipRig(width, height, 4);
        using var clip = Anonymiser(new PrivacyOptions { LookAheadFrames = 0, PersistenceFrames = 0 }).Open(Subject(offender ? 7 : null));

        var output = ClipRig.Run(clip, Enumerable.Range(0, 2).Select(i => rig.Frame(bgr, i, tracks: [vehicle])));

        var after = _recognizer.Read(output[1].Pixels, width, height, width * 3, line).Text;
        TestContext.Out.WriteLine($"offender {offender}: plate {clip.Plate}; read on the output: '{after}'");
        if (offender)
        {
            Assert.That(clip.Plate, Is.EqualTo(new PlateRead(7, FirstLine, clip.Plate?.Confidence ?? 0, clip.Plate?.FrameSequence ?? -1)));
            Assert.That(clip.Plate!.Confidence, Is.GreaterThan(0.9f));
            Assert.That(after, Is.EqualTo(FirstLine));
        }
        else
        {
            Assert.That(clip.Plate, Is.Null);
            Assert.That(after, Does.Not.Contain("technical").And.Not.Contain("book"));
            Assert.That(Math.Abs(PatchStats.Correlation(bgr, output[1].Pixels, width, line)), Is.LessThan(Threshold));
        }
    }

    private static ClipSubject Subject(long? offender) =>
        new("cam", offender is { } id ? new Dictionary<long, IReadOnlyList<TrackPoint>> { [id] = [] } : new Dictionary<long, IReadOnlyList<TrackPoint>>());
}
