using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>Pixel comparisons of one rectangle of two bgr24 pictures.</summary>
internal static class PatchStats
{
    /// <summary>
    /// Pearson correlation of the grey values (mean of B, G, R) of <paramref name="box"/> in the two pictures;
    /// 0 when either patch is flat (a fill: nothing of the original varies with it).
    /// </summary>
    public static double Correlation(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int width, BoxF box)
    {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        var n = 0;
        for (var y = (int)box.Y1; y < (int)box.Y2; y++)
        {
            for (var x = (int)box.X1; x < (int)box.X2; x++)
            {
                var i = ((y * width) + x) * 3;
                double va = (a[i] + a[i + 1] + a[i + 2]) / 3.0, vb = (b[i] + b[i + 1] + b[i + 2]) / 3.0;
                sa += va;
                sb += vb;
                saa += va * va;
                sbb += vb * vb;
                sab += va * vb;
                n++;
            }
        }

        var cov = (sab / n) - (sa / n * (sb / n));
        var va2 = (saa / n) - ((sa / n) * (sa / n));
        var vb2 = (sbb / n) - ((sb / n) * (sb / n));
        return va2 < 1e-9 || vb2 < 1e-9 ? 0 : cov / Math.Sqrt(va2 * vb2);
    }

    /// <summary>Whether the rectangle is byte for byte the same in both pictures.</summary>
    public static bool Same(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int width, BoxF box)
    {
        for (var y = (int)box.Y1; y < (int)box.Y2; y++)
        {
            var start = ((y * width) + (int)box.X1) * 3;
            var length = ((int)box.X2 - (int)box.X1) * 3;
            if (!a.Slice(start, length).SequenceEqual(b.Slice(start, length)))
            {
                return false;
            }
        }

        return true;
    }
}
