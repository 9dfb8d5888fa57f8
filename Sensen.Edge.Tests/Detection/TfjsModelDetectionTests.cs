using System.Diagnostics;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// The TFJS-converted models (centernet, blazeface) on real pictures through the daemon's path (BGR24 frame →
/// preprocess → ONNX Runtime on the CPU → decoder → NMS), at the manifests' thresholds. Counts were made by
/// hand once on the annotated pictures (<c>sensen-edge detect --out</c>); docs/MODELS.md has the figures.
/// </summary>
internal sealed class TfjsModelDetectionTests
{
    private OnnxDetector _objects = null!;
    private OnnxDetector _faces = null!;
    private string _frames = null!;

    [OneTimeSetUp]
    public async Task LoadModels()
    {
        _objects = TestModels.Detector(RepoPaths.Models, "centernet");
        _faces = TestModels.Detector(RepoPaths.Models, "blazeface");
        _frames = TestModels.NewModelsDirectory();
        await VtestFrameAsync(20, Path.Combine(_frames, "vtest-20s.png"));
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _objects.Dispose();
        _faces.Dispose();
        Directory.Delete(_frames, recursive: true);
    }

    /// <summary>Hand-counted faces in face-api's demo photos: 3, 3, 3, 4, 5, 4; BlazeFace finds each, nothing else.</summary>
    [TestCase(1, 3)]
    [TestCase(2, 3)]
    [TestCase(3, 3)]
    [TestCase(4, 4)]
    [TestCase(5, 5)]
    [TestCase(6, 4)]
    public void Blazeface_FaceApiDemoPhoto_FindsEveryFaceOnce(int sample, int faces)
    {
        var found = Detect(_faces, TestImages.FaceApiSample(sample));

        Assert.That(found, Has.Count.EqualTo(faces), string.Join("; ", found));
        Assert.That(found.All(d => d.Class == ObjectClass.Face && d.Score >= 0.5f));

        // Faces in these photos are 150–260 px wide; none of the boxes overlaps another.
        Assert.That(found.All(d => d.Box.Width is > 120 and < 320 && Math.Abs(d.Box.Width - d.Box.Height) < 20), string.Join("; ", found));
        Assert.That(found.SelectMany((a, i) => found.Skip(i + 1).Select(b => a.Box.IntersectionOverUnion(b.Box))).All(iou => iou == 0));
    }

    /// <summary>
    /// The cascade centernet → blazeface on the upper half of each person: 21 of the 22 faces. In sample5 CenterNet
    /// misses the woman second from the left (no person box above 0.3), so her face is never cropped.
    /// </summary>
    [TestCase(1, 3)]
    [TestCase(2, 3)]
    [TestCase(3, 3)]
    [TestCase(4, 4)]
    [TestCase(5, 4)]
    [TestCase(6, 4)]
    public void Cascade_FaceApiDemoPhoto_FacesInsidePersons(int sample, int faces)
    {
        var cascade = new DetectorCascade([(_objects, 1)], [new CascadeSecondary(_faces, new HashSet<ObjectClass> { ObjectClass.Person }, 0.5f)]);
        var found = new List<DetectedObject>();

        Assert.That(cascade.Run(TestImages.LoadFrame(TestImages.FaceApiSample(sample)), found), Is.True);

        var faceBoxes = found.Where(d => d.Class == ObjectClass.Face).ToList();
        Assert.That(faceBoxes, Has.Count.EqualTo(faces), string.Join("; ", found));
        Assert.That(found.Where(d => d.Class != ObjectClass.Face).All(d => d.Class == ObjectClass.Person), string.Join("; ", found));
        var whole = Detect(_faces, TestImages.FaceApiSample(sample));
        Assert.That(faceBoxes.All(f => whole.Any(w => w.Box.IntersectionOverUnion(f.Box) > 0.5f)), "every cascade face is one the whole-photo run finds too");
    }

    [Test]
    public void Blazeface_PhotosWithoutFaces_FindsNone()
    {
        foreach (var path in TestImages.NoFaces)
        {
            Assert.That(Detect(_faces, path), Is.Empty, path);
        }
    }

    /// <summary>licenseplate_motion.jpg (600×482) is one car filling the picture.</summary>
    [Test]
    public void Centernet_CarPhoto_OneCarCoveringIt()
    {
        var found = Detect(_objects, TestImages.LicensePlate);

        Assert.That(found, Has.Count.EqualTo(1), string.Join("; ", found));
        Assert.That(found[0].Class, Is.EqualTo(ObjectClass.Car));
        Assert.That(found[0].Box.Area, Is.GreaterThan(0.8 * 600 * 482), found[0].ToString());
    }

    /// <summary>No vehicle and no person: fruit, a baboon.</summary>
    [TestCase("fruits.jpg")]
    [TestCase("baboon.jpg")]
    public void Centernet_PictureWithoutVehiclesOrPeople_FindsNothing(string picture)
    {
        Assert.That(Detect(_objects, Path.Combine(RepoPaths.OpenCvSamples, picture)), Is.Empty);
    }

    /// <summary>
    /// vtest.avi at 20 s: seven people walking (counted by hand), a parked van and a car at the top right.
    /// At 0.5 every person is found and nothing else; the van and the car score 0.37–0.38 and a bin 0.36.
    /// </summary>
    [Test]
    public void Centernet_VtestFrame_FindsTheSevenWalkers()
    {
        var found = Detect(_objects, Path.Combine(_frames, "vtest-20s.png"));

        var confident = found.Where(d => d.Score >= 0.5f).ToList();
        Assert.That(confident, Has.Count.EqualTo(7), string.Join("; ", found));
        Assert.That(confident.All(d => d.Class == ObjectClass.Person && d.Box.Height > 1.8 * d.Box.Width), string.Join("; ", confident));
        Assert.That(found.Any(d => ObjectClasses.Vehicles.Contains(d.Class) && d.Box.X1 > 600 && d.Box.Y2 < 120), string.Join("; ", found));
    }

    [TestCase("centernet")]
    [TestCase("blazeface")]
    public void Detect_SteadyState_AllocatesNothingPerFrame(string model)
    {
        var detector = model == "centernet" ? _objects : _faces;
        var frame = TestImages.LoadFrame(TestImages.FaceApiSample(1));
        var found = new List<DetectedObject>(64);
        for (var i = 0; i < 2; i++)
        {
            found.Clear();
            detector.Detect(frame, found);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3; i++)
        {
            found.Clear();
            detector.Detect(frame, found);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(found, Is.Not.Empty);
    }

    internal static async Task VtestFrameAsync(int second, string path)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-ss", second.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", Path.Combine(RepoPaths.OpenCvSamples, "vtest.avi"), "-frames:v", "1", path })
        {
            start.ArgumentList.Add(a);
        }

        using var ffmpeg = Process.Start(start)!;
        var errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.That(ffmpeg.ExitCode, Is.Zero, errors);
    }

    private static List<DetectedObject> Detect(OnnxDetector detector, string path)
    {
        var frame = TestImages.LoadFrame(path);
        var found = new List<DetectedObject>();
        detector.Detect(frame, found);
        return found;
    }
}
