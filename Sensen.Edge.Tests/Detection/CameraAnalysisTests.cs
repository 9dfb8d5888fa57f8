using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Tests.Detection;

/// <summary>Per-frame analysis bookkeeping, with detectors replaced at the <see cref="IDetector"/> seam.</summary>
public sealed class CameraAnalysisTests
{
    [Test]
    public void Analyse_AllDetectorsRun_CountsObjectsByClass()
    {
        var analysis = new CameraAnalysis("cam", [new FixedDetector(ObjectClass.Face, 2), new FixedDetector(ObjectClass.Plate, 1)]);
        var results = new List<DetectedObject>();

        Assert.That(analysis.Analyse(Frame(), results, out _), Is.EqualTo(AnalysisOutcome.Analysed));
        Assert.That(analysis.Analyse(Frame(), results, out _), Is.EqualTo(AnalysisOutcome.Analysed));

        Assert.That(results, Has.Count.EqualTo(3), "results hold the last frame only");
        Assert.That(analysis.Analysed, Is.EqualTo(2));
        Assert.That(analysis.Objects(ObjectClass.Face), Is.EqualTo(4));
        Assert.That(analysis.Objects(ObjectClass.Plate), Is.EqualTo(2));
        Assert.That(analysis.Describe(), Does.StartWith("2 frames analysed, 0 not analysed").And.EndWith("detected face 4, plate 2"));
    }

    [Test]
    public void Analyse_OneDetectorFails_FrameIsNotAnalysedAndHoldsNoPartialResult()
    {
        var failing = new FixedDetector(ObjectClass.Plate, 1) { Fail = () => new InferenceException("inference failed") };
        var analysis = new CameraAnalysis("cam", [new FixedDetector(ObjectClass.Face, 2), failing]);
        var results = new List<DetectedObject>();

        var outcome = analysis.Analyse(Frame(), results, out var error);

        Assert.That(outcome, Is.EqualTo(AnalysisOutcome.InferenceFailed));
        Assert.That(error, Is.TypeOf<InferenceException>());
        Assert.That(results, Is.Empty, "faces found before the failure must not make the frame look analysed");
        Assert.That((analysis.Analysed, analysis.Failed, analysis.Faults, analysis.Failing), Is.EqualTo((0L, 1L, 0L, true)));

        failing.Fail = null;
        Assert.That(analysis.Analyse(Frame(), results, out _), Is.EqualTo(AnalysisOutcome.Analysed));
        Assert.That(analysis.Failing, Is.False);
    }

    [Test]
    public void Analyse_DetectorBug_IsAFaultCountedInARowUntilAFrameIsAnalysed()
    {
        var buggy = new FixedDetector(ObjectClass.Face, 1) { Fail = () => new ArgumentOutOfRangeException("index", "bug") };
        var analysis = new CameraAnalysis("cam", [buggy]);
        var results = new List<DetectedObject>();

        Assert.That(analysis.Analyse(Frame(), results, out var error), Is.EqualTo(AnalysisOutcome.DetectorFault));
        Assert.That(analysis.Analyse(Frame(), results, out _), Is.EqualTo(AnalysisOutcome.DetectorFault));
        Assert.That(error, Is.TypeOf<ArgumentOutOfRangeException>());
        Assert.That((analysis.Faults, analysis.ConsecutiveFaults, analysis.Failed), Is.EqualTo((2L, 2, 2L)));
        Assert.That(analysis.Describe(), Does.Contain("0 frames analysed, 2 not analysed").And.Contain("2 detector faults"));

        buggy.Fail = null;
        analysis.Analyse(Frame(), results, out _);
        Assert.That((analysis.Faults, analysis.ConsecutiveFaults), Is.EqualTo((2L, 0)));
    }

    [Test]
    public void Analyse_NoDetectors_NothingIsAnalysed()
    {
        var analysis = new CameraAnalysis("cam", []);

        Assert.That(analysis.Analyse(Frame(), [], out var error), Is.EqualTo(AnalysisOutcome.NoDetector));
        Assert.That(error, Is.Not.Null);
        Assert.That(analysis.Failed, Is.EqualTo(1));
    }

    private static Frame Frame()
    {
        var pool = new FramePool(12, 1);
        pool.TryRent(out var frame);
        frame.Describe("cam", 2, 2, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch);
        return frame;
    }

    private sealed class FixedDetector(ObjectClass objectClass, int count) : IDetector
    {
        public Func<Exception>? Fail { get; set; }

        public string Id => objectClass.ToString();

        public IReadOnlySet<ObjectClass> Classes { get; } = new HashSet<ObjectClass> { objectClass };

        public int Detect(Frame frame, List<DetectedObject> results)
        {
            if (Fail is not null)
            {
                throw Fail();
            }

            for (var i = 0; i < count; i++)
            {
                results.Add(new DetectedObject(new BoxF(i, i, 10, 10), objectClass, 0.9f));
            }

            return count;
        }
    }
}
