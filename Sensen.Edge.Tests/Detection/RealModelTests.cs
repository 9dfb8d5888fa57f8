using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// The shipped models (prepared into models/ by build.sh) on real photographs, through the daemon's own path:
/// BGR24 frame → preprocess → ONNX Runtime (CPU) → decoder → NMS.
/// </summary>
internal sealed class RealModelTests
{
    private const float Tolerance = 24;

    private static readonly float[] PinnedPlateBox = [281, 212, 345, 248];

    private OnnxDetector _faces = null!;

    [OneTimeSetUp]
    public void LoadFaceModel() => _faces = TestModels.Detector(RepoPaths.Models, "face-tiny");

    [OneTimeTearDown]
    public void DisposeFaceModel() => _faces.Dispose();

    /// <summary>
    /// Counts and boxes established with <c>sensen-edge detect --model face-tiny</c> and checked by eye on the
    /// annotated pictures: every face in face-api's demo photos is found. sample6 holds four faces and one
    /// extra, weaker box straddling two heads (0.52); extra boxes only obscure more, which privacy tolerates.
    /// </summary>
    [TestCase(1, 3, 779, 446, 1085, 694)]
    [TestCase(2, 1, 1404, 178, 1675, 430)]
    [TestCase(3, 3, 994, 252, 1326, 535)]
    [TestCase(4, 3, 622, 101, 875, 333)]
    [TestCase(5, 5, 320, 896, 620, 1200)]
    [TestCase(6, 5, 611, 370, 914, 659)]
    public void Detect_FaceApiDemoPhoto_FindsPinnedFaces(int sample, int count, float x1, float y1, float x2, float y2)
    {
        var found = Detect(_faces, TestImages.FaceApiSample(sample));

        Assert.That(found, Has.Count.EqualTo(count), string.Join("; ", found));
        Assert.That(found.All(d => d.Class == ObjectClass.Face && d.Score >= 0.5f));
        var best = found[0].Box;
        Assert.That(new[] { best.X1, best.Y1, best.X2, best.Y2 }, Is.EqualTo(new[] { x1, y1, x2, y2 }).Within(Tolerance), best.ToString());
    }

    [Test]
    public void Detect_AfterDispose_ThrowsObjectDisposedRatherThanTouchingFreedNativeMemory()
    {
        // A clip writer that outlives the host's stop timeout runs on a detector the host has disposed.
        var detector = TestModels.Detector(RepoPaths.Models, "face-tiny");
        var frame = TestImages.LoadFrame(TestImages.FaceApiSample(1));
        var found = new List<DetectedObject>();
        detector.Detect(frame, found);
        detector.Dispose();

        Assert.That(() => detector.Detect(frame, found), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => detector.Detect(frame, new BoxF(0, 0, 200, 200), found), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(detector.Dispose, Throws.Nothing, "a second dispose is harmless");
    }

    [Test]
    public void Detect_SteadyState_AllocatesNothingPerFrame()
    {
        var frame = TestImages.LoadFrame(TestImages.FaceApiSample(1));
        var found = new List<DetectedObject>(16);
        for (var i = 0; i < 3; i++)
        {
            found.Clear();
            _faces.Detect(frame, found);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            found.Clear();
            _faces.Detect(frame, found);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        frame.Release();

        Assert.That(found, Has.Count.EqualTo(3));
        Assert.That(allocated, Is.Zero, "bytes allocated by five Detect calls after warm-up");
    }

    [Test]
    public void Detect_AfterAnotherFrameSize_RewritesPaddingAndGivesTheFirstOutput()
    {
        // The detector writes the input's padding only when the frame size changes; a stale padding from the
        // other photo's letterbox would change the raw output.
        using var detector = TestModels.Detector(RepoPaths.Models, "face-tiny");
        var first = TestImages.LoadFrame(TestImages.FaceApiSample(1));
        var other = TestImages.LoadFrame(TestImages.FaceApiSample(2));
        var found = new List<DetectedObject>();
        try
        {
            Assert.That((other.Width * first.Height) - (first.Width * other.Height), Is.Not.Zero, "the photos need different aspect ratios");
            detector.Detect(first, found);
            var expected = detector.RawOutput.ToArray();
            detector.Detect(other, found);
            var between = detector.RawOutput.ToArray();
            detector.Detect(first, found);

            Assert.That(between, Is.Not.EqualTo(expected));
            Assert.That(detector.RawOutput.ToArray(), Is.EqualTo(expected));
        }
        finally
        {
            first.Release();
            other.Release();
        }
    }

    [Test]
    public void Detect_PhotosWithoutFaces_FindsNone()
    {
        foreach (var path in TestImages.NoFaces)
        {
            Assert.That(Detect(_faces, path), Is.Empty, path);
        }
    }

    /// <summary>
    /// The plate in OpenCV's licenseplate_motion.jpg (600x482, plate at about [228, 225, 358, 297]) is heavily
    /// motion-blurred: PP-OCRv4's detector sees its text when the picture is fed at about 1.25x (736x608
    /// input), not at the 0.75x the shipped manifest uses for 1280x720 frames. So this test feeds it at that
    /// scale through a copy of the shipped manifest (same model file and hash), as an operator would tune
    /// <c>input_width</c>/<c>input_height</c> to the plates' size in their camera.
    /// </summary>
    [Test]
    public void Detect_BlurredLicencePlate_TextBoxOnThePlate()
    {
        var dir = TestModels.NewModelsDirectory();
        try
        {
            var yaml = File.ReadAllText(Path.Combine(RepoPaths.Models, "ppocr-v4-det.yaml"))
                .Replace("input_width: 960", "input_width: 736", StringComparison.Ordinal)
                .Replace("input_height: 544", "input_height: 608", StringComparison.Ordinal)
                .Replace("file: ", $"file: {RepoPaths.Models}/", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir, "plates.yaml"), yaml);
            using var detector = TestModels.Detector(dir, "plates");

            var found = Detect(detector, TestImages.LicensePlate);

            Assert.That(found, Is.Not.Empty);
            var plate = new BoxF(228, 225, 358, 297);
            var best = found[0];
            Assert.That(best.Class, Is.EqualTo(ObjectClass.Text));
            var centreX = (best.Box.X1 + best.Box.X2) / 2;
            var centreY = (best.Box.Y1 + best.Box.Y2) / 2;
            Assert.That(centreX, Is.InRange(plate.X1, plate.X2), best.ToString());
            Assert.That(centreY, Is.InRange(plate.Y1, plate.Y2), best.ToString());
            Assert.That(new[] { best.Box.X1, best.Box.Y1, best.Box.X2, best.Box.Y2 }, Is.EqualTo(PinnedPlateBox).Within(Tolerance), best.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Detect_PrintedText_FindsEveryLine()
    {
        using var detector = TestModels.Detector(RepoPaths.Models, "ppocr-v4-det");

        var found = Detect(detector, Path.Combine(RepoPaths.OpenCvSamples, "imageTextN.png"));

        // Established with `sensen-edge detect`: the picture holds thirteen lines and words of text.
        Assert.That(found, Has.Count.EqualTo(13));
        Assert.That(found.All(d => d.Class == ObjectClass.Text && d.Score >= 0.6f));
    }

    private static List<DetectedObject> Detect(OnnxDetector detector, string path)
    {
        var frame = TestImages.LoadFrame(path);
        try
        {
            var found = new List<DetectedObject>();
            detector.Detect(frame, found);
            return found;
        }
        finally
        {
            frame.Release();
        }
    }
}
