using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Detection;

/// <summary>BlazeFace's anchors (as MediaPipe's SsdAnchorsCalculator makes them) and its weighted NMS, on hand-made outputs.</summary>
internal sealed class BlazeFaceDecoderTests
{
    private static readonly int[] BackStrides = [16, 32, 32, 32];

    [Test]
    public void Anchors_BackModel_512OnTheStride16MapAnd384OnTheStride32Map()
    {
        // face_detection_back: 256 input; stride 16 → 16×16 cells × 2, three stride-32 layers → 8×8 × 6; 896 in all.
        Assert.That(new BlazeFaceDecoder(256, 256, BackStrides).LayerCounts, Is.EqualTo(new[] { 512, 384 }));

        // face_detection_short_range (front): 128 input, strides 8, 16, 16, 16 → 512 + 384 as well.
        Assert.That(new BlazeFaceDecoder(128, 128, [8, 16, 16, 16]).LayerCounts, Is.EqualTo(new[] { 512, 384 }));
    }

    [Test]
    public void Anchors_FullRangeModel_OnePerCellOnTheStride4Map()
    {
        // face_detection_full_range: 192 input, one stride-4 layer, interpolated_scale_aspect_ratio 0 → one anchor per
        // cell: 48×48 = 2304, the [1, 2304, 1] score output of human-models' facemesh-detection-full.
        Assert.That(new BlazeFaceDecoder(192, 192, [4], anchorsPerLayer: 1).LayerCounts, Is.EqualTo(new[] { 2304 }));
    }

    [Test]
    public void Decode_FullRangeAnchors_BoxAroundTheCellCentre()
    {
        // One logit above threshold at cell (x 10, y 20) of the 48×48 map: centre (10.5 × 4, 20.5 × 4) plus the offsets.
        var decoder = new BlazeFaceDecoder(192, 192, [4], anchorsPerLayer: 1);
        var scores = Enumerable.Repeat(-10f, 2304).ToArray();
        var boxes = new float[2304 * 16];
        var i = (20 * 48) + 10;
        scores[i] = 5;
        boxes[i * 16] = 2;
        boxes[(i * 16) + 1] = -1;
        boxes[(i * 16) + 2] = 24;
        boxes[(i * 16) + 3] = 30;
        var results = new List<DetectedObject>();

        decoder.Decode([scores], [boxes], ObjectClass.Face, 0.5f, 0.3f, results);

        var face = results.Single();
        // Centre (42 + 2, 82 - 1), size 24×30: corners (32, 66) and (56, 96).
        Assert.That(new[] { face.Box.X1, face.Box.Y1, face.Box.X2, face.Box.Y2 }, Is.EqualTo(new[] { 32f, 66f, 56f, 96f }).Within(1e-4f));
        Assert.That(face.Score, Is.EqualTo(1f / (1f + MathF.Exp(-5))).Within(1e-6));
    }

    [Test]
    public void Decode_OneConfidentAnchor_BoxAroundItsCentre()
    {
        var decoder = new BlazeFaceDecoder(256, 256, BackStrides);
        var (scores, boxes) = Outputs();

        // Stride-16 map, cell (x 5, y 2), second anchor: index (2·16 + 5)·2 + 1, centre (88, 40).
        const int i = (((2 * 16) + 5) * 2) + 1;
        scores[0][i] = 3;
        new float[] { 2, -4, 30, 36 }.CopyTo(boxes[0], i * 16);

        var found = new List<DetectedObject>();
        decoder.Decode(scores, boxes, ObjectClass.Face, 0.5f, 0.3f, found);

        Assert.That(found, Has.Count.EqualTo(1));
        Assert.That(found[0].Score, Is.EqualTo(1 / (1 + MathF.Exp(-3))).Within(1e-6));
        var box = found[0].Box;
        Assert.That(new[] { box.X1, box.Y1, box.X2, box.Y2 }, Is.EqualTo(new[] { 75f, 18f, 105f, 54f }).Within(1e-4));
    }

    [Test]
    public void Decode_OverlappingAnchors_MergedIntoTheScoreWeightedMean()
    {
        var decoder = new BlazeFaceDecoder(256, 256, BackStrides);
        var (scores, boxes) = Outputs();

        // Both anchors of stride-16 cell (4, 4), centre (72, 72): boxes 40 wide, 4 px apart.
        scores[0][(((4 * 16) + 4) * 2) + 0] = 2;
        scores[0][(((4 * 16) + 4) * 2) + 1] = 1;
        new float[] { 0, 0, 40, 40 }.CopyTo(boxes[0], ((((4 * 16) + 4) * 2) + 0) * 16);
        new float[] { 4, 0, 40, 40 }.CopyTo(boxes[0], ((((4 * 16) + 4) * 2) + 1) * 16);

        // A lone face elsewhere on the stride-32 map stays as it is.
        scores[1][5] = 1;
        new float[] { 0, 0, 20, 20 }.CopyTo(boxes[1], 5 * 16);

        var found = new List<DetectedObject>();
        decoder.Decode(scores, boxes, ObjectClass.Face, 0.5f, 0.3f, found);

        float w1 = 1 / (1 + MathF.Exp(-2)), w2 = 1 / (1 + MathF.Exp(-1));
        var cx = ((72 * w1) + (76 * w2)) / (w1 + w2);
        Assert.That(found, Has.Count.EqualTo(2));
        Assert.That(found[0].Score, Is.EqualTo(w1).Within(1e-6));
        Assert.That(found[0].Box.X1, Is.EqualTo(cx - 20).Within(1e-3));
        Assert.That(found[0].Box.Width, Is.EqualTo(40).Within(1e-3));
        var lone = found[1].Box;
        Assert.That(new[] { lone.X1, lone.Y1, lone.X2, lone.Y2 }, Is.EqualTo(new[] { 6f, 6f, 26f, 26f }).Within(1e-4));
    }

    [Test]
    public void Decode_AllScoresBelowThreshold_FindsNothing()
    {
        var (scores, boxes) = Outputs();
        Array.Fill(scores[0], -0.1f);
        Array.Fill(scores[1], -0.1f);

        var found = new List<DetectedObject>();
        new BlazeFaceDecoder(256, 256, BackStrides).Decode(scores, boxes, ObjectClass.Face, 0.5f, 0.3f, found);

        Assert.That(found, Is.Empty);
    }

    private static (float[][] Scores, float[][] Boxes) Outputs()
    {
        float[][] scores = [new float[512], new float[384]];
        Array.Fill(scores[0], -10f);
        Array.Fill(scores[1], -10f);
        return (scores, [new float[512 * 16], new float[384 * 16]]);
    }
}
