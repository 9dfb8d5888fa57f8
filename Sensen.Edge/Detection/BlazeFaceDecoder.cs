namespace Sensen.Edge.Detection;

/// <summary>
/// BlazeFace as MediaPipe runs it (<c>face_detection_back.pbtxt</c>): anchors from <c>SsdAnchorsCalculator</c>
/// (fixed size, centre offset 0.5, two anchors per layer: aspect ratio 1 and the interpolated scale; layers of
/// equal stride share one feature map), boxes from <c>TensorsToDetectionsCalculator</c> (regressor dx, dy, w, h
/// in input pixels around the anchor centre; score = sigmoid of the clipped logit) and <c>WEIGHTED</c>
/// non-maximum suppression (each cluster of boxes overlapping the best becomes their score-weighted mean).
/// The model has one score and one regressor output per feature-map size, matched to the anchors by count.
/// </summary>
internal sealed class BlazeFaceDecoder
{
    /// <summary>MediaPipe's <c>score_clipping_thresh</c>.</summary>
    private const float ScoreClip = 100;

    private readonly (float X, float Y)[] _anchors;
    private readonly int[] _layerStart;
    private readonly int[] _layerCount;
    private readonly List<DetectedObject> _raw = new(256);
    private readonly bool[] _used = new bool[1024];

    /// <param name="anchorsPerLayer">Anchors a layer adds per cell (2, or 1 for the full-range model).</param>
    public BlazeFaceDecoder(int inputWidth, int inputHeight, IReadOnlyList<int> strides, int anchorsPerLayer = 2)
    {
        var anchors = new List<(float, float)>();
        var starts = new List<int>();
        var counts = new List<int>();
        for (var layer = 0; layer < strides.Count;)
        {
            var stride = strides[layer];
            var perCell = 0;
            while (layer < strides.Count && strides[layer] == stride)
            {
                perCell += anchorsPerLayer;
                layer++;
            }

            starts.Add(anchors.Count);
            var rows = (inputHeight + stride - 1) / stride;
            var cols = (inputWidth + stride - 1) / stride;
            for (var y = 0; y < rows; y++)
            {
                for (var x = 0; x < cols; x++)
                {
                    for (var a = 0; a < perCell; a++)
                    {
                        anchors.Add(((x + 0.5f) * stride, (y + 0.5f) * stride));
                    }
                }
            }

            counts.Add(anchors.Count - starts[^1]);
        }

        _anchors = [.. anchors];
        _layerStart = [.. starts];
        _layerCount = [.. counts];
    }

    /// <summary>Anchors per feature map, in the order of <c>anchor_strides</c>.</summary>
    public IReadOnlyList<int> LayerCounts => _layerCount;

    /// <param name="scores">Per feature map, its score output (<c>[1, N, 1]</c>), in <see cref="LayerCounts"/> order.</param>
    /// <param name="boxes">Per feature map, its regressor output (<c>[1, N, R]</c>, R ≥ 4).</param>
    public void Decode(IReadOnlyList<float[]> scores, IReadOnlyList<float[]> boxes, ObjectClass faceClass, float confidence, float iouThreshold, List<DetectedObject> results)
    {
        var logit = MathF.Log(confidence / (1 - confidence));
        _raw.Clear();
        for (var layer = 0; layer < _layerCount.Length; layer++)
        {
            var n = _layerCount[layer];
            var s = scores[layer];
            var b = boxes[layer];
            var width = b.Length / n;
            for (var i = 0; i < n; i++)
            {
                var raw = Math.Clamp(s[i], -ScoreClip, ScoreClip);
                if (raw < logit)
                {
                    continue;
                }

                var (ax, ay) = _anchors[_layerStart[layer] + i];
                var r = b.AsSpan(i * width, 4);
                _raw.Add(new DetectedObject(BoxF.FromCenter(ax + r[0], ay + r[1], r[2], r[3]), faceClass, 1f / (1f + MathF.Exp(-raw))));
            }
        }

        WeightedNms(iouThreshold, results);
    }

    private void WeightedNms(float iouThreshold, List<DetectedObject> results)
    {
        _raw.Sort(ScoreDescending.Comparison);
        var used = _raw.Count <= _used.Length ? _used.AsSpan(0, _raw.Count) : new bool[_raw.Count];
        used.Clear();
        for (var i = 0; i < _raw.Count; i++)
        {
            if (used[i])
            {
                continue;
            }

            var best = _raw[i];
            double sx1 = 0, sy1 = 0, sx2 = 0, sy2 = 0, total = 0;
            for (var j = i; j < _raw.Count; j++)
            {
                if (used[j] || (j != i && best.Box.IntersectionOverUnion(_raw[j].Box) <= iouThreshold))
                {
                    continue;
                }

                used[j] = true;
                var w = _raw[j].Score;
                var box = _raw[j].Box;
                (sx1, sy1, sx2, sy2, total) = (sx1 + (w * box.X1), sy1 + (w * box.Y1), sx2 + (w * box.X2), sy2 + (w * box.Y2), total + w);
            }

            results.Add(best with { Box = new BoxF((float)(sx1 / total), (float)(sy1 / total), (float)(sx2 / total), (float)(sy2 / total)) });
        }
    }
}
