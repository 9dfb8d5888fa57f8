using Sensen.Edge.Privacy;
using Sensen.Edge.Tests.Configuration;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>The <c>privacy:</c> section's messages, word for word and at their position, and its defaults.</summary>
internal sealed class PrivacyOptionsValidatorTests
{
    private const string Camera = "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n";

    [TestCase("privacy:\n  face_detectors: [ghost]\n", 6, 20, "privacy.face_detectors[0]", "unknown detector 'ghost'; none are defined")]
    [TestCase("privacy:\n  person_detector: ghost\n", 6, 20, "privacy.person_detector", "unknown detector 'ghost'; none are defined")]
    [TestCase("privacy:\n  plate_recognizer: '../x'\n", 6, 21, "privacy.plate_recognizer", "'../x' is not a model name (letters, digits, '.', '-', '_')")]
    [TestCase("privacy:\n  look_ahead_frames: 2\n", 6, 22, "privacy.look_ahead_frames", "2 is shorter than persistence_frames (5): a face found later could not be obscured that far back")]
    [TestCase("privacy:\n  method: off\n", 6, 11, "privacy.method", "'off' is not one of fill, mosaic, blur, pixelate")]
    [TestCase("privacy:\n  head_fraction: 0\n", 6, 18, "privacy.head_fraction", "0 is out of range (allowed 0.05 to 1)")]
    public void Load_OnePrivacyMistake_HasItsExactMessageAndPosition(string section, int line, int column, string path, string message)
    {
        var errors = ConfigMessageTests.Load(Camera + section);

        Assert.That(errors.Select(e => (e.Line, e.Column, e.Path, e.Message)), Is.EqualTo(new[] { (line, column, path, message) }), string.Join("\n", errors));
    }

    [Test]
    public void Load_RulesAndOnlyFaceDetectorsList_NeedsNoFaceDetectorKey()
    {
        var yaml = Camera + "    rules: [{id: r, type: wrong_way}]\ndetectors: [{id: f, model: face-tiny}, {id: p, model: ppocr-v4-det}]\nprivacy: {face_detectors: [f], plate_detector: p}\n";

        Assert.That(ConfigMessageTests.Load(yaml).Where(e => e.Path.StartsWith("privacy", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Defaults_AreIrreversibleAndCoverHeads()
    {
        var options = new PrivacyOptions();

        Assert.That(options.Method, Is.EqualTo(ObscureMethod.Fill));
        Assert.That(Obscurer.IsReversible(options.Method), Is.False);
        Assert.That(options.Dilation, Is.EqualTo(0.3));
        Assert.That(options.HeadRegion, Is.True);
        Assert.That(options.LookAheadFrames, Is.GreaterThanOrEqualTo(options.PersistenceFrames));
    }
}
