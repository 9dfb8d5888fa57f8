using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Detection;

/// <summary>A model that is not what its manifest says is refused at start, with a message that says why.</summary>
internal sealed class ModelManifestTests
{
    private const string Yolo = """
        format: yolov8
        input_width: 32
        input_height: 32
        num_classes: 2
        classes: [{ index: 0, class: car }]
        """;

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestModels.NewModelsDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static byte[] YoloGraph(int classes = 2) => TestModels.ConstantOutput(32, 32, new float[(4 + classes) * 3], 1, 4 + classes, 3);

    [Test]
    public void Read_MatchingFile_Accepted()
    {
        TestModels.Write(_dir, "m", YoloGraph(), Yolo);

        var model = ModelManifestReader.Read(_dir, "m");

        Assert.That(model.ModelPath, Is.EqualTo(Path.Combine(_dir, "m.onnx")));
        Assert.That(model.Manifest.Format, Is.EqualTo(ModelFormat.Yolov8));
    }

    [Test]
    public void Read_FileAltered_RefusedNamingBothHashes()
    {
        TestModels.Write(_dir, "m", YoloGraph(), Yolo, sha256: new string('a', 64));

        var e = Assert.Throws<ModelException>(() => ModelManifestReader.Read(_dir, "m"));

        Assert.That(e!.Message, Does.Contain("sha256:").And.Contain("the manifest expects " + new string('a', 64)).And.Contain("wrong or altered model file"));
    }

    [Test]
    public void Read_ModelFileMissing_RefusedWithPath()
    {
        TestModels.Write(_dir, "m", YoloGraph(), Yolo);
        File.Delete(Path.Combine(_dir, "m.onnx"));

        var e = Assert.Throws<ModelException>(() => ModelManifestReader.Read(_dir, "m"));

        Assert.That(e!.Message, Does.Contain($"model file {Path.Combine(_dir, "m.onnx")} does not exist"));
    }

    [Test]
    public void Read_ManifestMissing_RefusedWithPath()
    {
        var e = Assert.Throws<ModelException>(() => ModelManifestReader.Read(_dir, "nothing"));

        Assert.That(e!.Message, Does.Contain("nothing.yaml").And.Contain("no such file"));
    }

    [Test]
    public void Read_ManifestWithBadKeys_ErrorsCarryLineAndKey()
    {
        TestModels.Write(_dir, "m", YoloGraph(), Yolo + "\nmean: [1, 2]\nformat_typo: 3\n");

        var e = Assert.Throws<ModelException>(() => ModelManifestReader.Read(_dir, "m"));

        Assert.That(e!.Message, Does.Contain("m.yaml:").And.Contain("format_typo"));
    }

    [Test]
    public void Create_CorruptFileWithMatchingHash_RefusedAsNotOnnx()
    {
        // The hash matches (someone re-hashed a truncated download), but the bytes are not a model.
        TestModels.Write(_dir, "m", YoloGraph()[..40], Yolo);
        var model = ModelManifestReader.Read(_dir, "m");

        var e = Assert.Throws<ModelException>(() => TestModels.CpuFactory().Create(model));

        Assert.That(e!.Message, Does.Contain("is not a loadable ONNX model"));
    }

    [Test]
    public void Create_OutputShapeDisagrees_RefusedNamingShapes()
    {
        // The manifest says 2 classes; the model outputs 5.
        TestModels.Write(_dir, "m", YoloGraph(classes: 5), Yolo);
        var model = ModelManifestReader.Read(_dir, "m");

        var e = Assert.Throws<ModelException>(() => TestModels.CpuFactory().Create(model));

        Assert.That(e!.Message, Does.Contain("output 'output' has shape [1, 9, 3]; format yolov8 expects [1, 4+num_classes=6, N]"));
    }

    [Test]
    public void Create_InputSizeDisagrees_RefusedNamingShapes()
    {
        TestModels.Write(_dir, "m", YoloGraph(), Yolo.Replace("input_width: 32", "input_width: 64", StringComparison.Ordinal));
        var model = ModelManifestReader.Read(_dir, "m");

        var e = Assert.Throws<ModelException>(() => TestModels.CpuFactory().Create(model));

        Assert.That(e!.Message, Does.Contain("input 'images' has shape [1, 3, 32, 32], the manifest describes [1, 3, 32, 64]"));
    }

    [Test]
    public void Read_ShippedManifests_AllValidWithPreparedModels()
    {
        foreach (var name in new[] { "face-tiny", "ppocr-v4-det", "ppocr-v4-rec" })
        {
            var model = ModelManifestReader.Read(TestSupport.RepoPaths.Models, name);
            Assert.That(File.Exists(model.ModelPath), name);
        }
    }
}
