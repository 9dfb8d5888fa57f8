using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>The cascade keys of <c>detectors:</c> (crops_of, crop_height, interval): each message pinned from a one-mistake file.</summary>
internal sealed class CascadeConfigTests
{
    private const string Camera = "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n";

    private static string Models => $"inference: {{models_directory: {RepoPaths.Models}}}\n";

    private static readonly object[] Cases =
    [
        new object[] { "detectors:\n  - {id: p, model: centernet}\n  - {id: f, model: blazeface, crops_of: [persons]}\n", "detectors[1].crops_of[0]", "'persons' is not a class or group (vehicle, person, car, bus, truck, motorcycle, bicycle, face, plate, text)" },
        new object[] { "detectors:\n  - {id: p, model: centernet}\n  - {id: f, model: blazeface, crops_of: [person], interval: 2}\n", "detectors[1].interval", "only primary detectors (without crops_of) have an interval; a secondary runs whenever its primaries do" },
        new object[] { "detectors:\n  - {id: f, model: blazeface, crops_of: [person]}\n", "detectors[0].crops_of", "camera 'c' has no primary detector (one without crops_of) whose boxes this detector could crop" },
        new object[] { "detectors:\n  - {id: p, model: centernet}\n  - {id: f, model: blazeface, crops_of: [person], live: false}\n", "detectors[1].live", "a clip-path-only detector (live: false) has no crops_of or interval: those shape the live path's cascade" },
        new object[] { "detectors:\n  - {id: p, model: centernet, live: false}\n  - {id: f, model: blazeface, crops_of: [person]}\n", "detectors[1].crops_of", "camera 'c' has no primary detector (one without crops_of) whose boxes this detector could crop" },
        new object[] { "detectors:\n  - {id: p, model: centernet, interval: 0}\n", "detectors[0].interval", "0 is out of range (allowed 1 to 1000)" },
        new object[] { "detectors:\n  - {id: p, model: centernet}\n  - {id: f, model: blazeface, crops_of: [person], crop_height: 2}\n", "detectors[1].crop_height", "2 is out of range (allowed 0.05 to 1)" },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Load_OneCascadeMistake_HasItsExactMessage(string detectors, string path, string message)
    {
        var errors = Load(Camera + Models + detectors);

        Assert.That(errors.Select(e => (e.Path, e.Message)), Does.Contain((path, message)), string.Join("\n", errors));
        Assert.That(errors.Where(e => e.Path == path).All(e => e.Line > 0), Is.True, "every message is located");
    }

    [Test]
    public void Load_PrimaryWithSecondaries_IsValid()
    {
        var yaml = Camera + Models + "detectors:\n  - {id: objects, model: centernet, interval: 2}\n  - {id: faces, model: blazeface, crops_of: [person], crop_height: 0.4}\n  - {id: plates, model: ppocr-v4-det, crops_of: [vehicle]}\n";

        Assert.That(Load(yaml).Where(e => e.Path.StartsWith("detectors", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void ForCamera_ClipPathOnlyDetector_IsLeftOffTheLivePath()
    {
        var yaml = Camera + Models + "detectors:\n  - {id: objects, model: centernet}\n  - {id: heads, model: blazeface, crops_of: [person]}\n  - {id: plates, model: ppocr-v4-det, live: false}\n";
        var path = Path.Combine(Path.GetTempPath(), $"cascade-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        var loaded = ConfigLoader.Load(path);
        File.Delete(path);
        Assert.That(loaded.IsValid, string.Join("\n", loaded.Errors));
        var options = loaded.Config!.Options.Detectors;

        Assert.That(options.Single(d => d.Id == "plates").Live, Is.False);
        Assert.That(options.Where(d => Sensen.Edge.Detection.DetectorSet.RunsLive(d, "c")).Select(d => d.Id), Is.EqualTo(new[] { "objects", "heads" }));
    }

    private static List<ConfigError> Load(string yaml) => Sensen.Edge.Tests.Configuration.ConfigMessageTests.Load(yaml);
}
