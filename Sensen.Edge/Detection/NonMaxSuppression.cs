namespace Sensen.Edge.Detection;

/// <summary>Class-wise greedy non-maximum suppression, in place, allocation-free.</summary>
internal static class NonMaxSuppression
{
    /// <summary>
    /// Keeps, per class, the highest-scoring box of every group overlapping by more than
    /// <paramref name="iouThreshold"/>. <paramref name="items"/> is reordered by descending score and
    /// truncated to the survivors.
    /// </summary>
    public static void Apply(List<DetectedObject> items, float iouThreshold, int maxDetections = 300)
    {
        items.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items);
        var kept = 0;
        for (var i = 0; i < span.Length && kept < maxDetections; i++)
        {
            var candidate = span[i];
            var suppressed = false;
            for (var k = 0; k < kept; k++)
            {
                if (span[k].ClassIndex == candidate.ClassIndex && span[k].Box.IntersectionOverUnion(candidate.Box) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (!suppressed)
            {
                span[kept++] = candidate;
            }
        }

        items.RemoveRange(kept, items.Count - kept);
    }
}
