using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// The cascade with real ONNX Runtime sessions on models whose output the test chooses (TestModels.ConstantOutput),
/// so every box is known: primary boxes in frame pixels, secondaries on the right crops, their boxes mapped back.
/// </summary>
internal sealed class DetectorCascadeTests
{
    private const int FrameSide = 640;

    private string _directory = null!;
    private OnnxDetector _primary = null!;
    private OnnxDetector _faces = null!;
    private OnnxDetector _plates = null!;

    [OneTimeSetUp]
    public void CreateModels()
    {
        _directory = TestModels.NewModelsDirectory();

        // Primary, 64×64 input (a 640×640 frame is scaled by 0.1): a person at input [10, 10, 30, 50], a car at [40, 40, 60, 60].
        Write("primary", 64, 2, [(20, 30, 20, 40, 0), (50, 50, 20, 20, 1)], "  - { index: 0, class: person }\n  - { index: 1, class: car }\n");

        // Face and plate models, 32×32 input, one box each at a known place of whatever crop they see.
        Write("faces", 32, 1, [(16, 16, 8, 8, 0)], "  - { index: 0, class: face }\n");
        Write("plates", 32, 1, [(16, 23, 16, 6, 0)], "  - { index: 0, class: plate }\n");
        var factory = TestModels.CpuFactory();
        _primary = TestModels.Detector(_directory, "primary", factory);
        _faces = TestModels.Detector(_directory, "faces", factory);
        _plates = TestModels.Detector(_directory, "plates", factory);
    }

    [OneTimeTearDown]
    public void DisposeModels()
    {
        _primary.Dispose();
        _faces.Dispose();
        _plates.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void Run_PersonAndCar_FaceInThePersonsUpperPartAndPlateInTheCar()
    {
        var cascade = new DetectorCascade(
            [(_primary, 1)],
            [new CascadeSecondary(_faces, new HashSet<ObjectClass> { ObjectClass.Person }, 0.4f), new CascadeSecondary(_plates, ObjectClasses.Vehicles, 1f)]);
        var results = new List<DetectedObject>();

        Assert.That(cascade.Run(Frame(), results), Is.True);

        Assert.That(results.Select(r => r.Class), Is.EqualTo(new[] { ObjectClass.Person, ObjectClass.Car, ObjectClass.Face, ObjectClass.Plate }));
        AssertBox(results[0].Box, 100, 100, 300, 500);
        AssertBox(results[1].Box, 400, 400, 600, 600);

        // The person's upper 0.4 is [100, 100, 300, 260] (200×160): letterboxed into 32×32 at scale 0.16, 26 rows of
        // picture from row 3. The face at input [12, 12, 20, 20] is crop [75, 56.25, 125, 106.25].
        AssertBox(results[2].Box, 175, 156.25f, 225, 206.25f);

        // The car crop [400, 400, 600, 600] at scale 0.16, no padding: plate input [8, 20, 24, 26] is crop [50, 125, 150, 162.5].
        AssertBox(results[3].Box, 450, 525, 550, 562.5f);
    }

    /// <summary>Two primary boxes of one class see the same thing: the secondary's box is kept once (NMS across crops).</summary>
    [Test]
    public void Run_TwoCropsFindingTheSameBox_KeptOnce()
    {
        var cascade = new DetectorCascade([(_primary, 1), (_primary, 1)], [new CascadeSecondary(_plates, ObjectClasses.Vehicles, 1f)]);
        var results = new List<DetectedObject>();

        cascade.Run(Frame(), results);

        Assert.That(results.Select(r => r.Class), Is.EqualTo(new[] { ObjectClass.Person, ObjectClass.Car, ObjectClass.Person, ObjectClass.Car, ObjectClass.Plate }));
    }

    [Test]
    public void Run_SecondaryForAClassNotFound_AddsNothing()
    {
        var cascade = new DetectorCascade([(_primary, 1)], [new CascadeSecondary(_plates, new HashSet<ObjectClass> { ObjectClass.Bus }, 1f)]);
        var results = new List<DetectedObject>();

        cascade.Run(Frame(), results);

        Assert.That(results.Select(r => r.Class), Is.EqualTo(new[] { ObjectClass.Person, ObjectClass.Car }));
    }

    [Test]
    public void Run_IntervalThree_AnalysesEveryThirdFrameAndClearsTheOthers()
    {
        var cascade = new DetectorCascade([(_primary, 3)], [new CascadeSecondary(_faces, new HashSet<ObjectClass> { ObjectClass.Person }, 0.4f)]);
        var results = new List<DetectedObject>();
        var frame = Frame();

        var analysed = new List<bool>();
        var counts = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            results.Add(default);
            analysed.Add(cascade.Run(frame, results));
            counts.Add(results.Count);
        }

        Assert.That(analysed, Is.EqualTo(new[] { true, false, false, true, false, false, true }));
        Assert.That(counts, Is.EqualTo(new[] { 3, 0, 0, 3, 0, 0, 3 }));
    }

    /// <summary>In the pipeline a camera with an interval gets one cascade; the frames it leaves out are counted as not analysed.</summary>
    [Test]
    public void CameraAnalysis_CascadeWithInterval_LeftOutFramesAreSkippedAndNotAnalysed()
    {
        var analysis = new CameraAnalysis("cam", [new DetectorCascade([(_primary, 2)], [], "cascade:cam")]);
        var results = new List<DetectedObject>();

        var outcomes = Enumerable.Range(0, 3).Select(_ => analysis.Analyse(Frame(), results, out var _)).ToList();

        Assert.That(outcomes, Is.EqualTo(new[] { Sensen.Edge.Pipeline.AnalysisOutcome.Analysed, Sensen.Edge.Pipeline.AnalysisOutcome.Skipped, Sensen.Edge.Pipeline.AnalysisOutcome.Analysed }));
        Assert.That((analysis.Analysed, analysis.Failed, analysis.Skipped, analysis.Failing), Is.EqualTo((2L, 1L, 1L, false)));
        Assert.That(analysis.Objects(ObjectClass.Person), Is.EqualTo(2));
        Assert.That(analysis.Describe(), Does.StartWith("2 frames analysed, 1 not analysed").And.Contain("(1 left out by the detection interval)"));
    }

    [Test]
    public void Create_SecondaryWithoutPrimary_IsRefused() =>
        Assert.Throws<ArgumentException>(() => _ = new DetectorCascade([], [new CascadeSecondary(_faces, ObjectClasses.Vehicles, 1f)]));

    [Test]
    public void DetectRegion_RegionOutsideTheFrame_FindsNothing()
    {
        var results = new List<DetectedObject>();

        Assert.That(_faces.Detect(Frame(), new BoxF(700, 10, 800, 50), results), Is.Zero);
        Assert.That(results, Is.Empty);
    }

    private static Sensen.Edge.Frames.Frame Frame() => TestImages.FromBgr(new byte[FrameSide * FrameSide * 3], FrameSide, FrameSide);

    private static void AssertBox(BoxF box, float x1, float y1, float x2, float y2) =>
        Assert.That(new[] { box.X1, box.Y1, box.X2, box.Y2 }, Is.EqualTo(new[] { x1, y1, x2, y2 }).Within(1e-3), box.ToString());

    /// <summary>A yolov8-format model of input side <paramref name="side"/> whose output is these boxes (input pixels, score 0.9).</summary>
    private void Write(string name, int side, int classes, (float Cx, float Cy, float W, float H, int Class)[] boxes, string classMap)
    {
        var n = boxes.Length;
        var output = new float[(4 + classes) * n];
        for (var i = 0; i < n; i++)
        {
            var b = boxes[i];
            output[i] = b.Cx;
            output[n + i] = b.Cy;
            output[(2 * n) + i] = b.W;
            output[(3 * n) + i] = b.H;
            output[((4 + b.Class) * n) + i] = 0.9f;
        }

        TestModels.Write(_directory, name, TestModels.ConstantOutput(side, side, output, 1, 4 + classes, n), $"format: yolov8\ninput_width: {side}\ninput_height: {side}\nnum_classes: {classes}\nclasses:\n{classMap}confidence: 0.5\n");
    }
}
