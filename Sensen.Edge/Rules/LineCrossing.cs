namespace Sensen.Edge.Rules;

/// <summary>
/// Whether a point's step from one frame to the next crossed a (finite) line, which way, and where in the
/// step: the crossing time is interpolated between the two frames' timestamps, assuming constant velocity
/// over one frame interval.
/// </summary>
internal static class LineCrossing
{
    /// <param name="fraction">Where in the step the line was met, 0 (at <paramref name="p0"/>) to 1 (at <paramref name="p1"/>).</param>
    public static bool TryCross(LineOptions line, NormalizedPoint p0, NormalizedPoint p1, out double fraction, out LineDirection direction)
    {
        fraction = 0;
        direction = LineDirection.Forward;
        var s0 = PolygonGeometry.Side(line.From, line.To, p0);
        var s1 = PolygonGeometry.Side(line.From, line.To, p1);

        // A step ending exactly on the line crosses it; the next step, starting on it, does not cross again.
        var forward = s0 < 0 && s1 >= 0;
        var backward = s0 > 0 && s1 <= 0;
        if ((!forward && !backward) || !PolygonGeometry.SegmentsIntersect(line.From, line.To, p0, p1))
        {
            return false;
        }

        fraction = s0 / (s0 - s1);
        direction = forward ? LineDirection.Forward : LineDirection.Backward;
        return true;
    }

    /// <summary>Signed distance in pixels from the line (positive on its right), for speeds normal to it.</summary>
    public static double DistancePixels(LineOptions line, NormalizedPoint p, int width, int height)
    {
        var dx = (line.To.X - line.From.X) * width;
        var dy = (line.To.Y - line.From.Y) * height;
        var px = (p.X - line.From.X) * width;
        var py = (p.Y - line.From.Y) * height;
        return ((dx * py) - (dy * px)) / Math.Sqrt((dx * dx) + (dy * dy));
    }
}
