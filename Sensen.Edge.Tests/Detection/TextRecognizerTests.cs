using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>The CTC text recogniser: its decoder through a constant graph, and PP-OCRv4 on printed text.</summary>
internal sealed class TextRecognizerTests
{
    [Test]
    public void Read_CtcGraph_RepeatsCollapsedBlanksDroppedLastClassIsSpace()
    {
        var dir = TestModels.NewModelsDirectory();
        try
        {
            // Keys a, b, c → classes: 0 blank, 1 a, 2 b, 3 c, 4 space. Steps: a a blank a b space c c.
            int[] best = [1, 1, 0, 1, 2, 4, 3, 3];
            var output = new float[best.Length * 5];
            for (var t = 0; t < best.Length; t++)
            {
                output[(t * 5) + best[t]] = t == 0 ? 0.5f : 1f;
            }

            File.WriteAllLines(Path.Combine(dir, "keys.txt"), ["a", "b", "c"]);
            TestModels.Write(dir, "rec", TestModels.ConstantOutput(32, 8, output, 1, best.Length, 5), """
                format: ctc_recognizer
                input_width: 32
                input_height: 8
                resize: fit_height
                num_classes: 5
                keys: keys.txt
                """);
            using var recognizer = new TextRecognizer(TestModels.CpuFactory().Create(ModelManifestReader.Read(dir, "rec")));
            var pixels = new byte[10 * 4 * 3];

            var (text, score) = recognizer.Read(pixels, 10, 4, 30, new BoxF(2, 1, 8, 3));

            Assert.That(text, Is.EqualTo("aab c"));
            Assert.That(score, Is.EqualTo((0.5f + 1 + 1 + 1 + 1) / 5).Within(1e-6));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Read_PrintedLinesFoundByDetector_ReadsEveryLine()
    {
        using var detector = TestModels.Detector(RepoPaths.Models, "ppocr-v4-det");
        using var recognizer = new TextRecognizer(TestModels.CpuFactory().Create(ModelManifestReader.Read(RepoPaths.Models, "ppocr-v4-rec")));
        var (bgr, width, height) = OperatorImage.Load(Path.Combine(RepoPaths.OpenCvSamples, "imageTextN.png"));
        var boxes = new List<DetectedObject>();
        detector.Detect(bgr, width, height, boxes);

        var lines = boxes.OrderBy(b => b.Box.Y1).Select(b => recognizer.Read(bgr, width, height, width * 3, b.Box)).ToList();

        Assert.That(lines, Has.Count.EqualTo(13));
        Assert.That(lines[0].Text, Is.EqualTo("technical details are too complex to cover in the book itself."));
        Assert.That(lines[5].Text, Is.EqualTo("these projects even turn into conference papers!) The exercises at the end of each chapter"));
        Assert.That(lines[12].Text, Is.EqualTo("inspiration from three high-level approaches:"));
        Assert.That(lines.Min(l => l.Score), Is.GreaterThan(0.9f));
    }
}
