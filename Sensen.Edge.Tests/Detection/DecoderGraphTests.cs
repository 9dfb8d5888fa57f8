using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// Each decoder through a real ONNX Runtime session on a graph whose output the test wrote, so the whole path
/// (frame → letterbox → session → decoder → NMS → frame pixels) is checked against boxes worked out by hand.
/// </summary>
internal sealed class DecoderGraphTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestModels.NewModelsDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Detect_Yolov8GraphWithLetterbox_BoxesInFramePixelsAfterClassWiseNms()
    {
        // Frame 640x480 into 320x320, centred: scale 0.5, picture 320x240, 40 rows of padding above.
        const int N = 5;
        const int C = 3;
        var output = new float[(4 + C) * N];
        void Anchor(int n, float cx, float cy, float w, float h, int cls, float score)
        {
            output[n] = cx;
            output[N + n] = cy;
            output[(2 * N) + n] = w;
            output[(3 * N) + n] = h;
            output[((4 + cls) * N) + n] = score;
        }

        Anchor(0, 160, 160, 40, 20, cls: 2, score: 0.9f);   // car → frame [280, 220, 360, 260]
        Anchor(1, 161, 160, 40, 20, cls: 2, score: 0.8f);   // same car, lower score: suppressed
        Anchor(2, 161, 161, 40, 20, cls: 0, score: 0.7f);   // a person at the same place: other class, kept
        Anchor(3, 40, 60, 20, 20, cls: 1, score: 0.95f);    // class 1 is not mapped: dropped
        Anchor(4, 250, 100, 20, 20, cls: 2, score: 0.1f);   // under the threshold
        TestModels.Write(_dir, "v8", TestModels.ConstantOutput(320, 320, output, 1, 4 + C, N), """
            format: yolov8
            input_width: 320
            input_height: 320
            num_classes: 3
            classes: [{ index: 0, class: person }, { index: 2, class: car }]
            confidence: 0.25
            iou_threshold: 0.5
            """);

        var found = Run("v8", 640, 480);

        Assert.That(found, Has.Count.EqualTo(2));
        Assert.That(found[0].Class, Is.EqualTo(ObjectClass.Car));
        Assert.That(found[0].Score, Is.EqualTo(0.9f).Within(1e-6));
        AssertBox(found[0].Box, 280, 220, 360, 260);
        Assert.That(found[1].Class, Is.EqualTo(ObjectClass.Person));
        AssertBox(found[1].Box, 282, 222, 362, 262);
    }

    [Test]
    public void Detect_Yolov5GraphWithLetterbox_ScoreIsObjectnessTimesClass()
    {
        // Frame 480x640 (portrait) into 320x320: scale 0.5, picture 240x320, 40 columns of padding left.
        const int C = 2;
        var rows = new float[3 * (5 + C)];
        void Row(int n, float cx, float cy, float w, float h, float obj, float c0, float c1)
        {
            var r = rows.AsSpan(n * (5 + C));
            (r[0], r[1], r[2], r[3], r[4], r[5], r[6]) = (cx, cy, w, h, obj, c0, c1);
        }

        Row(0, 100, 200, 20, 40, obj: 0.9f, c0: 0.1f, c1: 0.8f);  // bus 0.72 → frame [100, 360, 140, 440]
        Row(1, 100, 200, 20, 40, obj: 0.2f, c0: 0.9f, c1: 0.1f);  // objectness too low
        Row(2, 270, 10, 30, 30, obj: 0.9f, c0: 0.9f, c1: 0.0f);   // truck, partly outside the picture: clipped
        TestModels.Write(_dir, "v5", TestModels.ConstantOutput(320, 320, rows, 1, 3, 5 + C), """
            format: yolov5
            input_width: 320
            input_height: 320
            num_classes: 2
            classes: [{ index: 0, class: truck }, { index: 1, class: bus }]
            confidence: 0.3
            """);

        var found = Run("v5", 480, 640);

        Assert.That(found, Has.Count.EqualTo(2));
        Assert.That(found[0].Class, Is.EqualTo(ObjectClass.Truck));
        AssertBox(found[0].Box, 430, 0, 480, 50);
        Assert.That(found[1].Class, Is.EqualTo(ObjectClass.Bus));
        Assert.That(found[1].Score, Is.EqualTo(0.72f).Within(1e-5));
        AssertBox(found[1].Box, 100, 360, 140, 440);
    }

    [Test]
    public void Detect_TinyYolov2GridTopLeftLetterbox_AnchorsAndSigmoidDecoded()
    {
        // Input 64x64 → 2x2 grid of 32-pixel cells; anchors (1,1) and (2,1) cells. Frame 128x64 → scale 0.5,
        // picture 64x32 at the top left.
        const int A = 2;
        var grid = new float[A * 5 * 2 * 2];
        Array.Fill(grid, -6f);
        void Set(int anchor, int k, int row, int col, float v) => grid[(((anchor * 5) + k) * 4) + (row * 2) + col] = v;
        for (var a = 0; a < A; a++)
        {
            for (var k = 0; k < 4; k++)
            {
                for (var cell = 0; cell < 4; cell++)
                {
                    Set(a, k, cell / 2, cell % 2, 0);
                }
            }
        }

        Set(anchor: 1, k: 4, row: 0, col: 1, v: 3f);   // score sigmoid(3) = 0.9526
        Set(anchor: 1, k: 0, row: 0, col: 1, v: 0f);   // x: (1 + 0.5) * 32 = 48
        Set(anchor: 1, k: 1, row: 0, col: 1, v: 0f);   // y: (0 + 0.5) * 32 = 16
        Set(anchor: 1, k: 2, row: 0, col: 1, v: MathF.Log(0.5f)); // w: 0.5 * 2 * 32 = 32
        Set(anchor: 1, k: 3, row: 0, col: 1, v: 0f);   // h: 1 * 1 * 32 = 32
        TestModels.Write(_dir, "tiny", TestModels.ConstantOutput(64, 64, grid, 1, A * 5, 2, 2), """
            format: tiny_yolov2
            input_width: 64
            input_height: 64
            pad_align: top_left
            num_classes: 1
            classes: [{ index: 0, class: face }]
            anchors: [1, 1, 2, 1]
            confidence: 0.5
            """);

        var found = Run("tiny", 128, 64);

        Assert.That(found, Has.Count.EqualTo(1));
        Assert.That(found[0].Class, Is.EqualTo(ObjectClass.Face));
        Assert.That(found[0].Score, Is.EqualTo(1 / (1 + MathF.Exp(-3))).Within(1e-5));

        // Input box [32, 0, 64, 32] / 0.5 = [64, 0, 128, 64].
        AssertBox(found[0].Box, 64, 0, 128, 64);
    }

    [Test]
    public void Detect_DbnetMapStretched_RegionScoredAndUnclipped()
    {
        // A 64x64 probability map with one 20x10 region at x 10..29, y 20..29 (probability 0.9) and one
        // faint region under the box threshold. Frame 128x256 stretched to 64x64: x/2, y/4.
        var map = new float[64 * 64];
        for (var y = 20; y < 30; y++)
        {
            for (var x = 10; x < 30; x++)
            {
                map[(y * 64) + x] = 0.9f;
            }
        }

        for (var y = 50; y < 60; y++)
        {
            for (var x = 40; x < 60; x++)
            {
                map[(y * 64) + x] = 0.4f;
            }
        }

        TestModels.Write(_dir, "db", TestModels.ConstantOutput(64, 64, map, 1, 1, 64, 64), """
            format: dbnet
            input_width: 64
            input_height: 64
            resize: stretch
            num_classes: 1
            classes: [{ index: 0, class: plate }]
            confidence: 0.6
            binary_threshold: 0.3
            unclip_ratio: 1.5
            """);

        var found = Run("db", 128, 256);

        // Unclip distance 20*10*1.5 / (2*(20+10)) = 5: input box [5, 15, 35, 35] → frame [10, 60, 70, 140].
        Assert.That(found, Has.Count.EqualTo(1));
        Assert.That(found[0].Class, Is.EqualTo(ObjectClass.Plate));
        Assert.That(found[0].Score, Is.EqualTo(0.9f).Within(1e-5));
        AssertBox(found[0].Box, 10, 60, 70, 140);
    }

    private List<DetectedObject> Run(string name, int width, int height)
    {
        using var detector = TestModels.Detector(_dir, name);
        var frame = TestImages.FromBgr(new byte[width * height * 3], width, height);
        var found = new List<DetectedObject>();
        var count = detector.Detect(frame, found);
        frame.Release();
        Assert.That(count, Is.EqualTo(found.Count));
        return found;
    }

    private static void AssertBox(BoxF box, float x1, float y1, float x2, float y2)
    {
        Assert.That(box.X1, Is.EqualTo(x1).Within(0.01), $"x1 of {box}");
        Assert.That(box.Y1, Is.EqualTo(y1).Within(0.01), $"y1 of {box}");
        Assert.That(box.X2, Is.EqualTo(x2).Within(0.01), $"x2 of {box}");
        Assert.That(box.Y2, Is.EqualTo(y2).Within(0.01), $"y2 of {box}");
    }
}
