using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary><c>check-config</c> reads each detector's manifest and checks its model's hash, before any session starts.</summary>
internal sealed class ModelConfigCheckTests
{
    [Test]
    public void Load_DetectorModelAltered_ErrorAtDetectorsModelKey()
    {
        var root = TestModels.NewModelsDirectory();
        try
        {
            // The example configuration resolves models_directory ../models from its own directory.
            Directory.CreateDirectory(Path.Combine(root, "config"));
            Directory.CreateDirectory(Path.Combine(root, "models"));
            var config = Path.Combine(root, "config", "sensen-edge.yaml");
            File.Copy(RepoPaths.ExampleConfig, config);
            foreach (var name in new[] { "centernet.yaml", "blazeface.yaml", "face-tiny.yaml", "ppocr-v4-det.yaml" })
            {
                File.Copy(Path.Combine(RepoPaths.Models, name), Path.Combine(root, "models", name));
            }

            File.WriteAllBytes(Path.Combine(root, "models", "face-tiny.onnx"), [1, 2, 3]);
            foreach (var name in new[] { "centernet.onnx", "blazeface.onnx", "ch_PP-OCRv4_det_infer.onnx" })
            {
                File.Copy(Path.Combine(RepoPaths.Models, name), Path.Combine(root, "models", name));
            }


            var result = ConfigLoader.Load(config);

            Assert.That(result.IsValid, Is.False);
            var error = result.Errors.Single();
            Assert.That(error.Path, Is.EqualTo("detectors[2].model"), "face-tiny is the example's third detector");
            Assert.That(error.Message, Does.StartWith("model 'face-tiny' refused:").And.Contain("wrong or altered model file"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
