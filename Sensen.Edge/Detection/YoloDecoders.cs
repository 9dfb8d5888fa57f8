namespace Sensen.Edge.Detection;

/// <summary>
/// Decoders for the YOLO heads. Pure functions: raw output in, boxes in model-input pixels out (appended to
/// <c>results</c>), scores already thresholded; NMS and the mapping to frame pixels are the caller's.
/// </summary>
internal static class YoloDecoders
{
    /// <summary>
    /// YOLOv8 / YOLO11: output <c>[1, 4+C, N]</c>, rows cx, cy, w, h then C class scores (already sigmoid),
    /// no objectness (Ultralytics <c>ops.non_max_suppression</c>).
    /// </summary>
    public static void DecodeYolov8(ReadOnlySpan<float> output, int anchors, ClassLookup classes, float confidence, List<DetectedObject> results)
    {
        var numClasses = classes.Count;
        if (output.Length != (4 + numClasses) * anchors)
        {
            throw new ArgumentException($"yolov8 output has {output.Length} values, expected (4+{numClasses})x{anchors}", nameof(output));
        }

        for (var n = 0; n < anchors; n++)
        {
            var best = -1;
            var bestScore = confidence;
            for (var c = 0; c < numClasses; c++)
            {
                var score = output[((4 + c) * anchors) + n];
                if (score >= bestScore && (best < 0 || score > bestScore))
                {
                    best = c;
                    bestScore = score;
                }
            }

            if (best < 0 || !classes.TryGet(best, out var cls))
            {
                continue;
            }

            var box = BoxF.FromCenter(output[n], output[anchors + n], output[(2 * anchors) + n], output[(3 * anchors) + n]);
            results.Add(new DetectedObject(box, cls, bestScore, best));
        }
    }

    /// <summary>
    /// YOLOv5: output <c>[1, N, 5+C]</c>, each row cx, cy, w, h, objectness, C class scores;
    /// score = objectness × best class score.
    /// </summary>
    public static void DecodeYolov5(ReadOnlySpan<float> output, int rows, ClassLookup classes, float confidence, List<DetectedObject> results)
    {
        var numClasses = classes.Count;
        var width = 5 + numClasses;
        if (output.Length != width * rows)
        {
            throw new ArgumentException($"yolov5 output has {output.Length} values, expected {rows}x(5+{numClasses})", nameof(output));
        }

        for (var n = 0; n < rows; n++)
        {
            var row = output.Slice(n * width, width);
            var objectness = row[4];
            if (objectness < confidence)
            {
                continue;
            }

            var best = 0;
            for (var c = 1; c < numClasses; c++)
            {
                if (row[5 + c] > row[5 + best])
                {
                    best = c;
                }
            }

            var score = objectness * row[5 + best];
            if (score < confidence || !classes.TryGet(best, out var cls))
            {
                continue;
            }

            results.Add(new DetectedObject(BoxF.FromCenter(row[0], row[1], row[2], row[3]), cls, score, best));
        }
    }

    /// <summary>
    /// TinyYOLOv2 grid: output <c>[1, A*(5+C), H, W]</c> of raw logits. Per cell and anchor a:
    /// centre = (cell + sigmoid(t)) × stride, size = exp(t) × anchor × stride, score = sigmoid(t_o), times
    /// the softmax class probability when C &gt; 1 (face-api <c>TinyYolov2Base.extractBoxes</c>).
    /// </summary>
    public static void DecodeTinyYolov2(ReadOnlySpan<float> output, int gridHeight, int gridWidth, ReadOnlySpan<double> anchors, int stride, ClassLookup classes, float confidence, List<DetectedObject> results)
    {
        var numClasses = classes.Count;
        var numAnchors = anchors.Length / 2;
        var entry = 5 + (numClasses > 1 ? numClasses : 0);
        var plane = gridHeight * gridWidth;
        if (output.Length != numAnchors * entry * plane)
        {
            throw new ArgumentException($"tiny_yolov2 output has {output.Length} values, expected {numAnchors}x{entry}x{gridHeight}x{gridWidth}", nameof(output));
        }

        for (var row = 0; row < gridHeight; row++)
        {
            for (var col = 0; col < gridWidth; col++)
            {
                var cell = (row * gridWidth) + col;
                for (var a = 0; a < numAnchors; a++)
                {
                    var channel = a * entry;
                    var score = Sigmoid(output[((channel + 4) * plane) + cell]);
                    if (score < confidence)
                    {
                        continue;
                    }

                    var best = 0;
                    if (numClasses > 1)
                    {
                        var max = float.NegativeInfinity;
                        for (var c = 0; c < numClasses; c++)
                        {
                            max = Math.Max(max, output[((channel + 5 + c) * plane) + cell]);
                        }

                        var sum = 0f;
                        var bestP = 0f;
                        for (var c = 0; c < numClasses; c++)
                        {
                            var p = MathF.Exp(output[((channel + 5 + c) * plane) + cell] - max);
                            sum += p;
                            if (p > bestP)
                            {
                                bestP = p;
                                best = c;
                            }
                        }

                        score *= bestP / sum;
                        if (score < confidence)
                        {
                            continue;
                        }
                    }

                    if (!classes.TryGet(best, out var cls))
                    {
                        continue;
                    }

                    var cx = (col + Sigmoid(output[(channel * plane) + cell])) * stride;
                    var cy = (row + Sigmoid(output[((channel + 1) * plane) + cell])) * stride;
                    var w = MathF.Exp(output[((channel + 2) * plane) + cell]) * (float)anchors[2 * a] * stride;
                    var h = MathF.Exp(output[((channel + 3) * plane) + cell]) * (float)anchors[(2 * a) + 1] * stride;
                    results.Add(new DetectedObject(BoxF.FromCenter(cx, cy, w, h), cls, score, best));
                }
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
