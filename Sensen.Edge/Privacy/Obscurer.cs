using System.Buffers.Binary;
using System.Security.Cryptography;
using Sensen.Edge.Detection;

namespace Sensen.Edge.Privacy;

/// <summary>
/// Obscures rectangles of a bgr24 frame (packed rows) in place. Pure pixel work with no allocation per frame:
/// the only buffer (the blur's line) grows when a larger region than ever before arrives, never per call.
/// The mosaic's noise comes from a generator re-seeded from the operating system's CSPRNG at every
/// <see cref="BeginFrame"/>, so neither the noise of one frame nor that of the next can be predicted and
/// subtracted, and averaging a region over frames does not cancel it into the original. One instance per
/// clip; not thread-safe.
/// </summary>
internal sealed class Obscurer
{
    /// <summary>The fill colour (B, G, R): a mid grey, told apart from a frame masked whole (black).</summary>
    public const byte FillValue = 128;

    /// <summary>
    /// A mosaic has about this many blocks across a region's shorter side (at least 4 pixels each). The blocks
    /// carry noise only, so more blocks leak nothing more; with few blocks, noise alone would correlate with
    /// the original by chance (|r| about 1/blocks across), so 16 keep that well below the tests' 0.3.
    /// </summary>
    public const int MosaicBlocksAcross = 16;

    /// <summary>Noise amplitude (±) on each mosaic block, around the region's mean colour, per channel.</summary>
    public const int MosaicBlockNoise = 96;

    /// <summary>Noise amplitude (±) on each pixel of a mosaic, per channel.</summary>
    public const int MosaicPixelNoise = 32;

    private int[] _line = new int[3 * 256];
    private ulong _state;

    public Obscurer(ObscureMethod method)
    {
        Method = method;
        BeginFrame();
    }

    public ObscureMethod Method { get; }

    /// <summary>Whether the method is reversible by published attacks (blur, pixelate).</summary>
    public static bool IsReversible(ObscureMethod method) => method is ObscureMethod.Blur or ObscureMethod.Pixelate;

    /// <summary>The box grown by <paramref name="dilation"/> of its size (half on each side), clipped to the frame, in whole pixels (outwards).</summary>
    public static (int X, int Y, int Width, int Height) Dilate(BoxF box, double dilation, int width, int height)
    {
        var dx = box.Width * (float)dilation / 2;
        var dy = box.Height * (float)dilation / 2;
        var x0 = Math.Clamp((int)MathF.Floor(box.X1 - dx), 0, width);
        var y0 = Math.Clamp((int)MathF.Floor(box.Y1 - dy), 0, height);
        var x1 = Math.Clamp((int)MathF.Ceiling(box.X2 + dx), 0, width);
        var y1 = Math.Clamp((int)MathF.Ceiling(box.Y2 + dy), 0, height);
        return (x0, y0, Math.Max(0, x1 - x0), Math.Max(0, y1 - y0));
    }

    /// <summary>Draws fresh noise for the next frame (mosaic).</summary>
    public void BeginFrame()
    {
        Span<byte> seed = stackalloc byte[8];
        RandomNumberGenerator.Fill(seed);
        _state = BinaryPrimitives.ReadUInt64LittleEndian(seed) | 1;
    }

    /// <summary>Obscures <paramref name="box"/> grown by <paramref name="dilation"/>; returns false when nothing of it lies in the frame.</summary>
    public bool Obscure(Span<byte> bgr, int width, int height, BoxF box, double dilation)
    {
        var (x, y, w, h) = Dilate(box, dilation, width, height);
        if (w == 0 || h == 0)
        {
            return false;
        }

        Obscure(bgr, width, height, x, y, w, h);
        return true;
    }

    /// <summary>Obscures the rectangle [x, x+w) × [y, y+h), which must lie inside the frame.</summary>
    public void Obscure(Span<byte> bgr, int width, int height, int x, int y, int w, int h)
    {
        if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > width || y + h > height || bgr.Length < width * height * 3)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"region {x},{y} {w}x{h} does not lie in a {width}x{height} frame");
        }

        if (w == 0 || h == 0)
        {
            return;
        }

        var stride = width * 3;
        switch (Method)
        {
            case ObscureMethod.Fill:
                for (var row = y; row < y + h; row++)
                {
                    bgr.Slice((row * stride) + (x * 3), w * 3).Fill(FillValue);
                }

                break;
            case ObscureMethod.Mosaic:
                Blocks(bgr, stride, x, y, w, h, Math.Max(4, Math.Min(w, h) / MosaicBlocksAcross), noisy: true);
                break;
            case ObscureMethod.Pixelate:
                Blocks(bgr, stride, x, y, w, h, Math.Max(2, Math.Min(w, h) / 8), noisy: false);
                break;
            case ObscureMethod.Blur:
                Blur(bgr, stride, x, y, w, h, Math.Max(2, Math.Min(w, h) / 10));
                break;
            default:
                throw new InvalidOperationException($"obscuring method {Method} is not implemented");
        }
    }

    /// <summary>
    /// Noisy (mosaic): every block is the whole region's mean colour plus noise drawn per block and per pixel,
    /// so the only thing kept of the region is one mean colour; the coarse blocks make it read as a mosaic.
    /// Per-block means would keep the region's low frequencies (a face's lighting and outline: r = 0.66 with
    /// the original, measured by ObscurerTests), which the noise only blurs. Not noisy (pixelate): block means.
    /// </summary>
    private void Blocks(Span<byte> bgr, int stride, int x, int y, int w, int h, int block, bool noisy)
    {
        int rb = 0, rg = 0, rr = 0;
        if (noisy)
        {
            (rb, rg, rr) = Mean(bgr, stride, x, y, w, h);
        }

        for (var by = y; by < y + h; by += block)
        {
            var bh = Math.Min(block, y + h - by);
            for (var bx = x; bx < x + w; bx += block)
            {
                var bw = Math.Min(block, x + w - bx);
                int mb, mg, mr;
                if (noisy)
                {
                    mb = rb + Noise(MosaicBlockNoise);
                    mg = rg + Noise(MosaicBlockNoise);
                    mr = rr + Noise(MosaicBlockNoise);
                }
                else
                {
                    (mb, mg, mr) = Mean(bgr, stride, bx, by, bw, bh);
                }

                for (var row = by; row < by + bh; row++)
                {
                    var line = bgr.Slice((row * stride) + (bx * 3), bw * 3);
                    if (noisy)
                    {
                        PixelNoise(line, mb, mg, mr);
                        continue;
                    }

                    for (var i = 0; i < line.Length; i += 3)
                    {
                        line[i] = (byte)mb;
                        line[i + 1] = (byte)mg;
                        line[i + 2] = (byte)mr;
                    }
                }
            }
        }
    }

    /// <summary>Writes the block's colour plus per-pixel noise of ±<see cref="MosaicPixelNoise"/>.</summary>
    private void PixelNoise(Span<byte> line, int b, int g, int r)
    {
        const int Range = (2 * MosaicPixelNoise) + 1;
        for (var i = 0; i + 2 < line.Length; i += 3)
        {
            // One draw, three noise values (a byte each, multiply-shift into the range: no division).
            var bits = Next();
            line[i] = Clamp(b + (int)(((bits & 0xFF) * Range) >> 8) - MosaicPixelNoise);
            line[i + 1] = Clamp(g + (int)((((bits >> 8) & 0xFF) * Range) >> 8) - MosaicPixelNoise);
            line[i + 2] = Clamp(r + (int)((((bits >> 16) & 0xFF) * Range) >> 8) - MosaicPixelNoise);
        }
    }

    private static (int B, int G, int R) Mean(Span<byte> bgr, int stride, int x, int y, int w, int h)
    {
        long b = 0, g = 0, r = 0;
        for (var row = y; row < y + h; row++)
        {
            var line = bgr.Slice((row * stride) + (x * 3), w * 3);
            for (var i = 0; i < line.Length; i += 3)
            {
                b += line[i];
                g += line[i + 1];
                r += line[i + 2];
            }
        }

        var n = (long)w * h;
        return ((int)(b / n), (int)(g / n), (int)(r / n));
    }

    /// <summary>Three box passes each way approximate a Gaussian (central limit); each pass is a running sum.</summary>
    private void Blur(Span<byte> bgr, int stride, int x, int y, int w, int h, int radius)
    {
        var longest = Math.Max(w, h);
        if (_line.Length < longest * 3)
        {
            _line = new int[longest * 3];
        }

        for (var pass = 0; pass < 3; pass++)
        {
            for (var row = y; row < y + h; row++)
            {
                BoxPass(bgr, (row * stride) + (x * 3), 3, w, radius);
            }

            for (var col = x; col < x + w; col++)
            {
                BoxPass(bgr, (y * stride) + (col * 3), stride, h, radius);
            }
        }
    }

    /// <summary>One running-sum box filter along <paramref name="count"/> pixels <paramref name="step"/> bytes apart, edges clamped.</summary>
    private void BoxPass(Span<byte> bgr, int start, int step, int count, int radius)
    {
        var line = _line.AsSpan(0, count * 3);
        for (var i = 0; i < count; i++)
        {
            var p = start + (i * step);
            line[(i * 3) + 0] = bgr[p];
            line[(i * 3) + 1] = bgr[p + 1];
            line[(i * 3) + 2] = bgr[p + 2];
        }

        var window = (2 * radius) + 1;
        for (var c = 0; c < 3; c++)
        {
            var sum = 0;
            for (var k = -radius; k <= radius; k++)
            {
                sum += line[(Math.Clamp(k, 0, count - 1) * 3) + c];
            }

            for (var i = 0; i < count; i++)
            {
                bgr[start + (i * step) + c] = (byte)(sum / window);
                sum += line[(Math.Min(i + radius + 1, count - 1) * 3) + c] - line[(Math.Max(i - radius, 0) * 3) + c];
            }
        }
    }

    /// <summary>Uniform integer noise in [-amplitude, amplitude]: the top 32 bits of a draw scaled by multiply-shift.</summary>
    private int Noise(int amplitude) => (int)(((Next() >> 32) * (ulong)((2 * amplitude) + 1)) >> 32) - amplitude;

    /// <summary>xorshift64* (Vigna 2014), seeded per frame from the CSPRNG.</summary>
    private ulong Next()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 2685821657736338717UL;
    }

    private static byte Clamp(int value) => (byte)(value < 0 ? 0 : value > 255 ? 255 : value);
}
