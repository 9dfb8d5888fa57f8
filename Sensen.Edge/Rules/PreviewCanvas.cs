using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Sensen.Edge.Rules;

/// <summary>
/// The preview's picture (BGR, packed rows). It starts from the frame as the clip path anonymised it, or, where
/// that cannot run, blank or from a camera frame that is first
/// pixelated into coarse blocks and dimmed: no face or plate survives blocks this large (a 100-pixel face
/// becomes a few flat squares), and the camera's own pixels are gone before anything is drawn or written.
/// </summary>
internal sealed class PreviewCanvas
{
    private PreviewCanvas(int width, int height, byte[] pixels, bool fromFrame, bool anonymised = false)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
        FromFrame = fromFrame;
        Anonymised = anonymised;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>Whether the background is the (obscured) camera frame rather than a blank canvas.</summary>
    public bool FromFrame { get; }

    /// <summary>Whether the background is the frame as the clip path anonymised it (faces, heads and bystanders' plates obscured).</summary>
    public bool Anonymised { get; }

    /// <summary>Block edge for the mosaic: at least 24 pixels, a thirtieth of the width on larger frames.</summary>
    public static int BlockSize(int width) => Math.Max(24, width / 30);

    /// <summary>The frame as the clip path left it: only an <see cref="Privacy.AnonymisedFrame"/> can become this background.</summary>
    public static PreviewCanvas FromAnonymised(Privacy.AnonymisedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new PreviewCanvas(frame.Width, frame.Height, frame.Pixels.ToArray(), true, anonymised: true);
    }

    public static PreviewCanvas Blank(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        pixels.AsSpan().Fill(24);
        return new PreviewCanvas(width, height, pixels, false);
    }

    /// <summary>A mosaic of block means, each dimmed to 40 %: the frame's layout without its detail.</summary>
    public static PreviewCanvas Obscured(ReadOnlySpan<byte> bgr, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        var block = BlockSize(width);
        for (var by = 0; by < height; by += block)
        {
            for (var bx = 0; bx < width; bx += block)
            {
                long b = 0, g = 0, r = 0, n = 0;
                var yEnd = Math.Min(height, by + block);
                var xEnd = Math.Min(width, bx + block);
                for (var y = by; y < yEnd; y++)
                {
                    for (var x = bx; x < xEnd; x++)
                    {
                        var i = ((y * width) + x) * 3;
                        b += bgr[i];
                        g += bgr[i + 1];
                        r += bgr[i + 2];
                        n++;
                    }
                }

                var mb = (byte)(b * 2 / (5 * n));
                var mg = (byte)(g * 2 / (5 * n));
                var mr = (byte)(r * 2 / (5 * n));
                for (var y = by; y < yEnd; y++)
                {
                    for (var x = bx; x < xEnd; x++)
                    {
                        var i = ((y * width) + x) * 3;
                        pixels[i] = mb;
                        pixels[i + 1] = mg;
                        pixels[i + 2] = mr;
                    }
                }
            }
        }

        return new PreviewCanvas(width, height, pixels, true);
    }

    public void Dot(int x, int y, (byte B, byte G, byte R) colour, int radius = 1)
    {
        for (var dy = -radius; dy <= radius; dy++)
        {
            for (var dx = -radius; dx <= radius; dx++)
            {
                Set(x + dx, y + dy, colour);
            }
        }
    }

    /// <summary>Bresenham's line (IBM Systems Journal 4(1), 1965), <paramref name="thickness"/> pixels wide.</summary>
    public void Line(double x0, double y0, double x1, double y1, (byte B, byte G, byte R) colour, int thickness = 2)
    {
        int ax = (int)x0, ay = (int)y0, bx = (int)x1, by = (int)y1;
        int dx = Math.Abs(bx - ax), dy = -Math.Abs(by - ay), sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1, err = dx + dy;
        for (var steps = 0; steps < 100_000; steps++)
        {
            Dot(ax, ay, colour, thickness / 2);
            if (ax == bx && ay == by)
            {
                return;
            }

            var e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                ax += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                ay += sy;
            }
        }
    }

    public void Polygon(IReadOnlyList<NormalizedPoint> points, (byte B, byte G, byte R) colour, int thickness = 2)
    {
        for (var i = 0; i < points.Count; i++)
        {
            var a = points[i];
            var b = points[(i + 1) % points.Count];
            Line(a.X * Width, a.Y * Height, b.X * Width, b.Y * Height, colour, thickness);
        }
    }

    /// <summary>Text in the 5×7 font on a dark band, so it reads on any background.</summary>
    public void Text(int x, int y, string text, (byte B, byte G, byte R) colour, int scale = 2)
    {
        var w = ((text.Length * (PreviewFont.GlyphWidth + 1)) + 1) * scale;
        var h = (PreviewFont.GlyphHeight + 2) * scale;
        for (var yy = y; yy < y + h; yy++)
        {
            for (var xx = x; xx < x + w; xx++)
            {
                Set(xx, yy, (0, 0, 0));
            }
        }

        for (var c = 0; c < text.Length; c++)
        {
            var rows = PreviewFont.Glyph(text[c]);
            var gx = x + (((c * (PreviewFont.GlyphWidth + 1)) + 1) * scale);
            for (var row = 0; row < PreviewFont.GlyphHeight; row++)
            {
                for (var col = 0; col < PreviewFont.GlyphWidth; col++)
                {
                    if ((rows[row] & (1 << (PreviewFont.GlyphWidth - 1 - col))) == 0)
                    {
                        continue;
                    }

                    for (var sy = 0; sy < scale; sy++)
                    {
                        for (var sx = 0; sx < scale; sx++)
                        {
                            Set(gx + (col * scale) + sx, y + ((row + 1) * scale) + sy, colour);
                        }
                    }
                }
            }
        }
    }

    public void Save(string path)
    {
        using var image = Image.LoadPixelData<Bgr24>(Pixels, Width, Height);
        image.Save(path);
    }

    private void Set(int x, int y, (byte B, byte G, byte R) colour)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        Pixels[i] = colour.B;
        Pixels[i + 1] = colour.G;
        Pixels[i + 2] = colour.R;
    }
}
