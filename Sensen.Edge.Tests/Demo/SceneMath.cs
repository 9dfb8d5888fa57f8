using Sensen.Edge.Demo;

namespace Sensen.Edge.Tests.Demo;

/// <summary>Patch comparisons on BGR24 pixels.</summary>
internal static class SceneMath
{
    /// <summary>
    /// Pearson correlation of the luma (BT.601) of <paramref name="box"/> in frame <paramref name="a"/> and the same-sized
    /// box at (<paramref name="bx"/>, <paramref name="by"/>) in image <paramref name="b"/>: 1 for the same picture whatever its
    /// brightness and contrast, near 0 for unrelated ones.
    /// </summary>
    public static double Correlation(ReadOnlySpan<byte> a, int aWidth, PixelBox box, ReadOnlySpan<byte> b, int bWidth, int bx, int by)
    {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        var n = 0;
        for (var y = 0; y < box.Height; y++)
        {
            for (var x = 0; x < box.Width; x++)
            {
                var la = Luma(a, (((box.Y1 + y) * aWidth) + box.X1 + x) * 3);
                var lb = Luma(b, (((by + y) * bWidth) + bx + x) * 3);
                sa += la;
                sb += lb;
                saa += la * la;
                sbb += lb * lb;
                sab += la * lb;
                n++;
            }
        }

        var cov = sab - (sa * sb / n);
        var va = saa - (sa * sa / n);
        var vb = sbb - (sb * sb / n);
        return va <= 0 || vb <= 0 ? 0 : cov / Math.Sqrt(va * vb);
    }

    private static double Luma(ReadOnlySpan<byte> bgr, int i) => (0.114 * bgr[i]) + (0.587 * bgr[i + 1]) + (0.299 * bgr[i + 2]);
}
