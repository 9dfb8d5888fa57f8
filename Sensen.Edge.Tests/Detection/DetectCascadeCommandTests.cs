using System.Text.Json;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary><c>detect --config FILE --camera ID</c>: a camera's cascade from a configuration file, and where <c>detect</c> finds its models.</summary>
internal sealed class DetectCascadeCommandTests
{
    private string _directory = null!;
    private string _config = null!;

    [OneTimeSetUp]
    public void WriteConfig()
    {
        _directory = TestModels.NewModelsDirectory();
        _config = Path.Combine(_directory, "edge.yaml");
        File.WriteAllText(_config, $"""
            device: {"{"}id: a{"}"}
            cameras:
              - {"{"}id: kerb, url: 'rtsp://127.0.0.1/x'{"}"}
            inference: {"{"}models_directory: {RepoPaths.Models}{"}"}
            detectors:
              - {"{"}id: objects, model: centernet{"}"}
              - {"{"}id: faces, model: blazeface, crops_of: [person], crop_height: 0.5{"}"}
            """);
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_directory, recursive: true);

    /// <summary>face-api's sample1: three people; the face model, run only on the upper half of each person box, finds the three faces.</summary>
    [Test]
    public void DetectCascade_ThreePeople_PersonsThenTheirFacesAsJson()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var rc = DetectCommand.ExecuteCascade(_config, "kerb", TestImages.FaceApiSample(1), json: true, null, cpuOnly: true, stdout, stderr);

        Assert.That(rc, Is.Zero, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var found = doc.RootElement.GetProperty("detections").EnumerateArray()
            .Select(d => (Class: d.GetProperty("class").GetString(), Box: d.GetProperty("box").EnumerateArray().Select(v => v.GetDouble()).ToArray()))
            .ToList();
        Assert.That(found.Select(f => f.Class), Is.EqualTo(new[] { "person", "person", "person", "face", "face", "face" }), stdout.ToString());

        // Each face lies inside the upper half of a person box.
        var persons = found.Where(f => f.Class == "person").Select(f => f.Box).ToList();
        foreach (var face in found.Where(f => f.Class == "face").Select(f => f.Box))
        {
            Assert.That(persons.Any(p => face[0] >= p[0] && face[2] <= p[2] && face[1] >= p[1] && face[3] <= p[1] + ((p[3] - p[1]) / 2)), string.Join(", ", face));
        }
    }

    [Test]
    public void DetectCascade_UnknownCamera_UsageExitNamingTheCameras()
    {
        var stderr = new StringWriter();

        var rc = DetectCommand.ExecuteCascade(_config, "nope", TestImages.FaceApiSample(1), json: false, null, cpuOnly: true, TextWriter.Null, stderr);

        Assert.That(rc, Is.EqualTo(Sensen.Edge.Cli.ExitCodes.Usage));
        Assert.That(stderr.ToString().Trim(), Is.EqualTo($"sensen-edge detect: camera 'nope' is not in {_config}; defined: kerb"));
    }

    [Test]
    public void DetectCascade_InvalidConfig_ConfigExitWithPositionedErrors()
    {
        var bad = Path.Combine(_directory, "bad.yaml");
        File.WriteAllText(bad, File.ReadAllText(_config).Replace("[person]", "[persons]", StringComparison.Ordinal));
        var stderr = new StringWriter();

        var rc = DetectCommand.ExecuteCascade(bad, "kerb", TestImages.FaceApiSample(1), json: false, null, cpuOnly: true, TextWriter.Null, stderr);

        Assert.That(rc, Is.EqualTo(Sensen.Edge.Cli.ExitCodes.Config));
        Assert.That(stderr.ToString(), Does.Contain($"{bad}:7:46 ").And.Contain("detectors[1].crops_of[0]: 'persons' is not a class or group"));
    }

    [Test]
    public void DefaultModelsDirectory_NothingInstalled_ModelsOneLevelAboveTheExecutable()
    {
        var installed = Path.Combine(_directory, "not-installed");
        var executable = Path.Combine(_directory, "out");
        Directory.CreateDirectory(executable);
        Directory.CreateDirectory(Path.Combine(_directory, "models"));

        Assert.That(DetectCommand.DefaultModelsDirectory(installed, executable), Is.EqualTo(Path.Combine(_directory, "models")));

        Directory.CreateDirectory(Path.Combine(executable, "models"));
        Assert.That(DetectCommand.DefaultModelsDirectory(installed, executable), Is.EqualTo(Path.Combine(executable, "models")));

        Directory.CreateDirectory(installed);
        Assert.That(DetectCommand.DefaultModelsDirectory(installed, executable), Is.EqualTo(installed));
    }
}
