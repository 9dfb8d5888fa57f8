namespace Sensen.Edge.Detection;

/// <summary>
/// CenterNet (MB3-CenterNet as shipped in @vladmandic/human): a per-class heatmap <c>[1, H, W, C]</c> already
/// through a sigmoid, and box extents <c>[1, H, W, 4]</c>. What the graph's own post-processing does
/// (<c>tower_0/detections</c>, cut off by the converter): a cell is a peak when it equals the 3×3 max-pool of
/// its class plane (SAME padding), the best <c>topK</c> peaks are kept, and a peak at cell (x, y) with extents
/// (l, t, r, b) is the box (x·s − l, y·s − t, x·s + r, y·s + b), s = input / grid.
/// </summary>
internal static class CenterNetDecoder
{
    public static void Decode(ReadOnlySpan<float> heatmap, ReadOnlySpan<float> extents, int gridHeight, int gridWidth, int stride, ClassLookup classes, float confidence, int topK, List<DetectedObject> results)
    {
        var numClasses = classes.Count;
        var cells = gridHeight * gridWidth;
        if (heatmap.Length != cells * numClasses || extents.Length != cells * 4)
        {
            throw new ArgumentException($"centernet outputs have {heatmap.Length} and {extents.Length} values, expected {gridHeight}x{gridWidth}x{numClasses} and {gridHeight}x{gridWidth}x4", nameof(heatmap));
        }

        var first = results.Count;
        for (var y = 0; y < gridHeight; y++)
        {
            for (var x = 0; x < gridWidth; x++)
            {
                var cell = (y * gridWidth) + x;
                for (var c = 0; c < numClasses; c++)
                {
                    var score = heatmap[(cell * numClasses) + c];
                    if (score < confidence || !IsPeak(heatmap, x, y, c, gridHeight, gridWidth, numClasses, score))
                    {
                        continue;
                    }

                    var e = extents.Slice(cell * 4, 4);
                    float cx = x * stride, cy = y * stride;
                    results.Add(new DetectedObject(new BoxF(cx - e[0], cy - e[1], cx + e[2], cy + e[3]), default, score, c));
                }
            }
        }

        // The graph's TopKV2 ranks every class together; only then are classes mapped (and unmapped ones dropped).
        var found = results.Count - first;
        if (found > topK)
        {
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(results).Slice(first, found).Sort(ScoreDescending.Comparison);
            results.RemoveRange(first + topK, found - topK);
        }

        var kept = first;
        for (var i = first; i < results.Count; i++)
        {
            if (classes.TryGet(results[i].ClassIndex, out var cls))
            {
                results[kept++] = results[i] with { Class = cls };
            }
        }

        results.RemoveRange(kept, results.Count - kept);
    }

    private static bool IsPeak(ReadOnlySpan<float> heatmap, int x, int y, int c, int height, int width, int numClasses, float score)
    {
        for (var dy = Math.Max(0, y - 1); dy <= Math.Min(height - 1, y + 1); dy++)
        {
            for (var dx = Math.Max(0, x - 1); dx <= Math.Min(width - 1, x + 1); dx++)
            {
                if (heatmap[(((dy * width) + dx) * numClasses) + c] > score)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
