using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>The detectors the daemon builds from its configuration at start.</summary>
internal sealed class DetectorSetTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestModels.NewModelsDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Create_ShippedModels_EveryDetectorReadyAndSharedAcrossCameras()
    {
        var config = Config(RepoPaths.Models, new DetectorOptions { Id = "faces", Model = "face-tiny" }, new DetectorOptions { Id = "plates", Model = "ppocr-v4-det", Cameras = ["cam-a"] });
        using var metrics = new DetectionMetrics();

        using var set = DetectorSet.Create(config, NullLogger.Instance, metrics);

        Assert.That(string.Join(",", set.All.Select(d => d.Id).Order(StringComparer.Ordinal)), Is.EqualTo("faces,plates"));
        Assert.That(set["faces"].Classes, Is.EquivalentTo(new[] { ObjectClass.Face }));
        Assert.That(string.Join(",", set.ForCamera("cam-a", config.Options.Detectors).Select(d => d.Id)), Is.EqualTo("faces,plates"));
        Assert.That(string.Join(",", set.ForCamera("cam-b", config.Options.Detectors).Select(d => d.Id)), Is.EqualTo("faces"));
        Assert.That(set.ForCamera("cam-b", config.Options.Detectors).Single(), Is.SameAs(set.ForCamera("cam-a", config.Options.Detectors).First()));
    }

    [Test]
    public void Create_OneModelAltered_StartRefusedNamingTheModel()
    {
        File.Copy(Path.Combine(RepoPaths.Models, "face-tiny.yaml"), Path.Combine(_dir, "face-tiny.yaml"));
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Models, "face-tiny.onnx"));
        bytes[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(_dir, "face-tiny.onnx"), bytes);
        var config = Config(_dir, new DetectorOptions { Id = "faces", Model = "face-tiny" });

        var e = Assert.Throws<ModelException>(() => DetectorSet.Create(config, NullLogger.Instance, new DetectionMetrics()));

        Assert.That(e!.Message, Does.StartWith("model 'face-tiny' refused:").And.Contain("wrong or altered model file"));
    }

    private LoadedConfig Config(string modelsDirectory, params DetectorOptions[] detectors)
    {
        var options = new EdgeOptions
        {
            Device = new DeviceOptions { StateDirectory = _dir },
            Inference = new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], IntraOpThreads = 1, ModelsDirectory = modelsDirectory },
            Detectors = detectors,
        };
        return new LoadedConfig(options, Path.Combine(_dir, "sensen-edge.yaml"), "");
    }
}
