namespace Sensen.Edge.Demo;

/// <summary>
/// The street without traffic, drawn in BGR24: asphalt with a fixed grain, a red-surfaced bus lane, white
/// lane lines (solid beside the bus lane, dashed between the others), yellow zig-zags along the no-stopping
/// zone, paved pavements. The grain is a hash of the pixel position, so every run draws the same bytes.
/// </summary>
internal static class SceneBackground
{
    private static readonly byte[] Asphalt = [72, 70, 70];
    private static readonly byte[] BusSurface = [58, 52, 110];
    private static readonly byte[] Paving = [150, 155, 160];
    private static readonly byte[] White = [235, 235, 235];
    private static readonly byte[] Yellow = [40, 200, 235];
    private static readonly byte[] Housing = [25, 25, 25];
    private static readonly byte[] RedLit = [40, 30, 245];
    private static readonly byte[] RedDark = [30, 25, 60];
    private static readonly byte[] GreenLit = [120, 230, 40];
    private static readonly byte[] GreenDark = [35, 55, 30];

    /// <summary>The signal's two lamps as discs in their squares: red lit and green dark, or the other way round.</summary>
    public static void DrawSignal(byte[] bgr, int width, int height, bool red)
    {
        Disc(bgr, width, height, SceneScript.RedLamp, red ? RedLit : RedDark);
        Disc(bgr, width, height, SceneScript.GreenLamp, red ? GreenDark : GreenLit);
    }

    private static void Disc(byte[] bgr, int width, int height, PixelBox baseBox, byte[] colour)
    {
        var sx = (double)width / SceneScript.BaseWidth;
        var sy = (double)height / SceneScript.BaseHeight;
        var (cx, cy) = ((baseBox.X1 + baseBox.X2) / 2.0 * sx, (baseBox.Y1 + baseBox.Y2) / 2.0 * sy);
        var (rx, ry) = (baseBox.Width / 2.0 * sx, baseBox.Height / 2.0 * sy);
        for (var y = (int)(cy - ry); y <= (int)(cy + ry); y++)
        {
            for (var x = (int)(cx - rx); x <= (int)(cx + rx); x++)
            {
                var (dx, dy) = ((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry);
                if (x >= 0 && x < width && y >= 0 && y < height && (dx * dx) + (dy * dy) <= 1)
                {
                    var i = ((y * width) + x) * 3;
                    bgr[i] = colour[0];
                    bgr[i + 1] = colour[1];
                    bgr[i + 2] = colour[2];
                }
            }
        }
    }

    public static byte[] Draw(int width, int height)
    {
        var sx = (double)width / SceneScript.BaseWidth;
        var sy = (double)height / SceneScript.BaseHeight;
        int X(double baseX) => (int)Math.Round(baseX * sx);
        int Y(double baseY) => (int)Math.Round(baseY * sy);

        var bgr = new byte[width * height * 3];
        Fill(bgr, width, 0, 0, width, height, Asphalt);
        Fill(bgr, width, 0, 0, X(SceneScript.BusLaneLeft), height, Paving);
        Fill(bgr, width, X(SceneScript.KerbLaneRight), 0, width, height, Paving);
        Fill(bgr, width, X(SceneScript.BusLaneLeft), 0, X(SceneScript.BusLaneRight), height, BusSurface);

        // Paving joints every 60 base pixels.
        for (var y = 0.0; y < SceneScript.BaseHeight; y += 60)
        {
            Fill(bgr, width, 0, Y(y), X(SceneScript.BusLaneLeft), Y(y) + 2, Asphalt);
            Fill(bgr, width, X(SceneScript.KerbLaneRight), Y(y), width, Y(y) + 2, Asphalt);
        }

        // Kerbs, the bus lane's solid line, the dashed line between the general and kerb lanes.
        Fill(bgr, width, X(SceneScript.BusLaneLeft - 4), 0, X(SceneScript.BusLaneLeft + 4), height, White);
        Fill(bgr, width, X(SceneScript.KerbLaneRight - 4), 0, X(SceneScript.KerbLaneRight + 4), height, White);
        Fill(bgr, width, X(SceneScript.BusLaneRight - 4), 0, X(SceneScript.BusLaneRight + 4), height, White);
        for (var y = 0.0; y < SceneScript.BaseHeight; y += 100)
        {
            Fill(bgr, width, X(SceneScript.GeneralLaneRight - 3), Y(y), X(SceneScript.GeneralLaneRight + 3), Y(y + 60), White);
        }

        // Zig-zags along both edges of the no-stopping zone (a triangle wave, 60 px period, 12 px deep).
        for (var y = (double)SceneScript.NoStoppingTop; y < SceneScript.NoStoppingBottom; y += 0.5)
        {
            var phase = (y - SceneScript.NoStoppingTop) % 60 / 60;
            var offset = 12 * (phase < 0.5 ? phase * 2 : 2 - (phase * 2));
            foreach (var edge in new[] { SceneScript.GeneralLaneRight + 14 + offset, SceneScript.KerbLaneRight - 14 - offset })
            {
                Fill(bgr, width, X(edge - 2), Y(y), X(edge + 2) + 1, Y(y) + 1, Yellow);
            }
        }

        // The stop line across the bus and general lanes, and the signal head's housing.
        Fill(bgr, width, X(SceneScript.BusLaneLeft + 4), Y(SceneScript.StopLineY - 4), X(SceneScript.GeneralLaneRight - 3), Y(SceneScript.StopLineY + 4), White);
        Fill(bgr, width, X(SceneScript.RedLamp.X1 - 10), Y(SceneScript.RedLamp.Y1 - 10), X(SceneScript.RedLamp.X2 + 10), Y(SceneScript.GreenLamp.Y2 + 10), Housing);

        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var grain = (int)(Hash((uint)x, (uint)y) % 13) - 6;
                var i = ((y * width) + x) * 3;
                for (var c = 0; c < 3; c++)
                {
                    bgr[i + c] = (byte)Math.Clamp(bgr[i + c] + grain, 0, 255);
                }
            }
        }

        return bgr;
    }

    private static void Fill(byte[] bgr, int width, int x1, int y1, int x2, int y2, byte[] colour)
    {
        var height = bgr.Length / 3 / width;
        x1 = Math.Clamp(x1, 0, width);
        x2 = Math.Clamp(x2, 0, width);
        y1 = Math.Clamp(y1, 0, height);
        y2 = Math.Clamp(y2, 0, height);
        for (var y = y1; y < y2; y++)
        {
            for (var x = x1; x < x2; x++)
            {
                var i = ((y * width) + x) * 3;
                bgr[i] = colour[0];
                bgr[i + 1] = colour[1];
                bgr[i + 2] = colour[2];
            }
        }
    }

    /// <summary>A small integer hash (Thomas Wang's mix of the two coordinates): position noise with no state.</summary>
    private static uint Hash(uint x, uint y)
    {
        var h = (x * 374761393u) + (y * 668265263u);
        h = (h ^ (h >> 13)) * 1274126177u;
        return h ^ (h >> 16);
    }
}
