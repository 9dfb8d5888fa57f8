using System.Text.Json;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>The operator verbs: <c>detect</c>, <c>models convert-face-api</c>, <c>models verify</c>.</summary>
internal sealed class DetectionCommandsTests
{
    [Test]
    public void Detect_JsonOnFacePhoto_OneFaceAndAnnotatedPng()
    {
        var png = Path.Combine(Path.GetTempPath(), $"sensen-detect-{Guid.NewGuid():N}.png");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            var rc = DetectCommand.Execute(RepoPaths.Models, "face-tiny", TestImages.FaceApiSample(2), json: true, png, null, cpuOnly: true, stdout, stderr);

            Assert.That(rc, Is.Zero, stderr.ToString());
            using var doc = JsonDocument.Parse(stdout.ToString());
            var detections = doc.RootElement.GetProperty("detections");
            Assert.That(doc.RootElement.GetProperty("provider").GetString(), Is.EqualTo("cpu"));
            Assert.That(detections.GetArrayLength(), Is.EqualTo(1));
            Assert.That(detections[0].GetProperty("class").GetString(), Is.EqualTo("face"));
            Assert.That(detections[0].GetProperty("box")[0].GetDouble(), Is.EqualTo(1404).Within(24));

            var (bgr, width, _) = OperatorImage.Load(png);
            var x = (int)detections[0].GetProperty("box")[0].GetDouble() + 1;
            var y = (int)detections[0].GetProperty("box")[1].GetDouble() + 50;
            Assert.That(bgr.AsSpan(((y * width) + x) * 3, 3).ToArray(), Is.EqualTo(new byte[] { 0, 255, 0 }), "the box outline is drawn in green");
        }
        finally
        {
            File.Delete(png);
        }
    }

    [Test]
    public void Detect_UnknownModel_ConfigExitWithManifestPath()
    {
        var stderr = new StringWriter();

        var rc = DetectCommand.Execute(RepoPaths.Models, "no-such-model", TestImages.FaceApiSample(2), json: false, null, null, cpuOnly: true, TextWriter.Null, stderr);

        Assert.That(rc, Is.EqualTo(78));
        Assert.That(stderr.ToString(), Does.Contain("no-such-model.yaml").And.Contain("no such file"));
    }

    [Test]
    public void Verify_ShippedModels_AllOk()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var rc = ModelsCommand.Verify(RepoPaths.Models, [], stdout, stderr);

        Assert.That(rc, Is.Zero, stderr.ToString());
        Assert.That(stdout.ToString(), Does.Contain("face-tiny: ok ([1, 3, 416, 416] → [1, 25, 13, 13]").And.Contain("ppocr-v4-det: ok").And.Contain("ppocr-v4-rec: ok ([1, 3, 48, 1280] → [1, 160, 6625]"));
    }

    [Test]
    public void Convert_FaceApiWeights_WritesTheManifestsModel()
    {
        var output = Path.Combine(Path.GetTempPath(), $"sensen-face-{Guid.NewGuid():N}.onnx");
        try
        {
            var rc = ModelsCommand.Convert(Path.Combine(RepoPaths.Cache, "npm", "face-api", "model"), output, 416, TextWriter.Null, TextWriter.Null);

            Assert.That(rc, Is.Zero);
            Assert.That(ModelManifestReader.HashFile(output), Is.EqualTo(ModelManifestReader.Read(RepoPaths.Models, "face-tiny").Sha256));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    public void Convert_MissingWeights_NoInputExit()
    {
        var stderr = new StringWriter();

        var rc = ModelsCommand.Convert(Path.GetTempPath(), "x.onnx", 416, TextWriter.Null, stderr);

        Assert.That(rc, Is.EqualTo(66));
        Assert.That(stderr.ToString(), Does.Contain("tiny_face_detector_model-weights_manifest.json does not exist"));
    }
}
