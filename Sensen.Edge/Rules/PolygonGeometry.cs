namespace Sensen.Edge.Rules;

/// <summary>Plane geometry on normalised points: segment intersection and simple-polygon checks.</summary>
internal static class PolygonGeometry
{
    /// <summary>
    /// True when no two non-adjacent edges of the closed polygon touch or cross. A self-intersecting
    /// ("bow-tie") zone has no well-defined inside, so the rules engine refuses it.
    /// </summary>
    public static bool IsSimple(IReadOnlyList<NormalizedPoint> polygon)
    {
        var n = polygon.Count;
        for (var i = 0; i < n; i++)
        {
            var a1 = polygon[i];
            var a2 = polygon[(i + 1) % n];
            for (var j = i + 1; j < n; j++)
            {
                // Adjacent edges share a vertex by construction.
                if (j == i + 1 || (i == 0 && j == n - 1))
                {
                    continue;
                }

                if (SegmentsIntersect(a1, a2, polygon[j], polygon[(j + 1) % n]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Twice the signed area (shoelace); zero for a degenerate polygon whose points lie on a line.</summary>
    public static double SignedArea2(IReadOnlyList<NormalizedPoint> polygon)
    {
        double sum = 0;
        for (var i = 0; i < polygon.Count; i++)
        {
            var p = polygon[i];
            var q = polygon[(i + 1) % polygon.Count];
            sum += (p.X * q.Y) - (q.X * p.Y);
        }

        return sum;
    }

    /// <summary>Closed-segment intersection, collinear overlaps included (orientation test, CLRS §33.1).</summary>
    public static bool SegmentsIntersect(NormalizedPoint p1, NormalizedPoint p2, NormalizedPoint p3, NormalizedPoint p4)
    {
        var d1 = Cross(p3, p4, p1);
        var d2 = Cross(p3, p4, p2);
        var d3 = Cross(p1, p2, p3);
        var d4 = Cross(p1, p2, p4);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        {
            return true;
        }

        return (d1 == 0 && OnSegment(p3, p4, p1)) || (d2 == 0 && OnSegment(p3, p4, p2))
            || (d3 == 0 && OnSegment(p1, p2, p3)) || (d4 == 0 && OnSegment(p1, p2, p4));
    }

    /// <summary>Point in polygon by ray crossing (even-odd rule; Shimrat, CACM algorithm 112, 1962).</summary>
    public static bool Contains(IReadOnlyList<NormalizedPoint> polygon, NormalizedPoint p)
    {
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var a = polygon[i];
            var b = polygon[j];
            if ((a.Y > p.Y) != (b.Y > p.Y) && p.X < ((b.X - a.X) * (p.Y - a.Y) / (b.Y - a.Y)) + a.X)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>
    /// Which side of the directed line <paramref name="from"/>→<paramref name="to"/> the point lies on, in
    /// image coordinates (y down): positive on the right looking along the line, negative on the left; the
    /// value is twice the triangle's area.
    /// </summary>
    public static double Side(NormalizedPoint from, NormalizedPoint to, NormalizedPoint p) => Cross(from, to, p);

    private static double Cross(NormalizedPoint a, NormalizedPoint b, NormalizedPoint c) =>
        ((b.X - a.X) * (c.Y - a.Y)) - ((b.Y - a.Y) * (c.X - a.X));

    private static bool OnSegment(NormalizedPoint a, NormalizedPoint b, NormalizedPoint p) =>
        Math.Min(a.X, b.X) <= p.X && p.X <= Math.Max(a.X, b.X) && Math.Min(a.Y, b.Y) <= p.Y && p.Y <= Math.Max(a.Y, b.Y);
}
