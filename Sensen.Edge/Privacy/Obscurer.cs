using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Sensen.Edge.Detection;

namespace Sensen.Edge.Privacy;

/// <summary>
/// Obscures rectangles of a bgr24 frame (packed rows) in place. Pure pixel work with no allocation per frame:
/// the only buffers (the blur's line, the mosaic's block row) grow when a larger region than ever before
/// arrives, never per call. The mosaic's noise (<see cref="MosaicNoise"/>) is re-seeded from the operating
/// system's CSPRNG at every <see cref="BeginFrame"/>, so neither the noise of one frame nor that of the next
/// can be predicted and subtracted, and averaging a region over frames does not cancel it into the original.
/// The mosaic runs on <see cref="Vector128{T}"/> where the hardware accelerates it and on a scalar path that
/// writes the same bytes elsewhere. One instance per clip; not thread-safe.
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

    /// <summary>Noise on each byte of a mosaic: uniform in [-32, 31] (six random bits), per channel.</summary>
    public const int MosaicPixelNoise = 32;

    private int[] _line = new int[3 * 256];
    private byte[] _blockRow = new byte[3 * 256];
    private byte[] _draws = new byte[3 * 256];
    private MosaicNoise _noise;

    public Obscurer(ObscureMethod method)
        : this(method, Vector128.IsHardwareAccelerated)
    {
    }

    /// <summary>With <paramref name="vectorised"/> false the mosaic takes its scalar path even where vectors are accelerated (tests compare the two).</summary>
    internal Obscurer(ObscureMethod method, bool vectorised)
    {
        Method = method;
        Vectorised = vectorised && Vector128.IsHardwareAccelerated;
        BeginFrame();
    }

    public ObscureMethod Method { get; }

    /// <summary>Whether the mosaic runs on <see cref="Vector128{T}"/> (else its scalar path).</summary>
    internal bool Vectorised { get; }

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
    public void BeginFrame() => _noise = MosaicNoise.FromOperatingSystem();

    /// <summary>Tests only: the next frame's noise from a given seed (<see cref="MosaicNoise.FromSeed"/>), so both paths can be compared byte for byte.</summary>
    internal void BeginFrame(ReadOnlySpan<byte> seed) => _noise = MosaicNoise.FromSeed(seed);

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
                Mosaic(bgr, stride, x, y, w, h, Math.Max(4, Math.Min(w, h) / MosaicBlocksAcross));
                break;
            case ObscureMethod.Pixelate:
                Pixelate(bgr, stride, x, y, w, h, Math.Max(2, Math.Min(w, h) / 8));
                break;
            case ObscureMethod.Blur:
                Blur(bgr, stride, x, y, w, h, Math.Max(2, Math.Min(w, h) / 10));
                break;
            default:
                throw new InvalidOperationException($"obscuring method {Method} is not implemented");
        }
    }

    /// <summary>
    /// Every block is the whole region's mean colour plus noise drawn per block (±<see cref="MosaicBlockNoise"/>),
    /// then per byte (<see cref="MosaicPixelNoise"/>), so the only thing kept of the region is one mean colour;
    /// the coarse blocks make it read as a mosaic. Per-block means would keep the region's low frequencies (a
    /// face's lighting and outline: r = 0.66 with the original, measured by ObscurerTests), and averaging frames
    /// would cancel their noise back to a pixelation. One pass reads the region for its sums; then each block
    /// row's colours are laid out once in <see cref="_blockRow"/> and every row of it is that line plus noise,
    /// 16 bytes per generator step. Both paths consume the noise in the same order: per block, one step (three
    /// 16-bit draws); per row, one step per 16 bytes, the last step's surplus discarded.
    /// </summary>
    private void Mosaic(Span<byte> bgr, int stride, int x, int y, int w, int h, int block)
    {
        var (sb, sg, sr) = Vectorised ? ChannelSums.Vectorised(bgr, stride, x, y, w, h) : ChannelSums.Scalar(bgr, stride, x, y, w, h);
        var n = (long)w * h;
        int mb = (int)(sb / n), mg = (int)(sg / n), mr = (int)(sr / n);
        var rowBytes = w * 3;
        var rowDraws = (rowBytes + 15) / 16 * 16;
        var blocksAcross = (w + block - 1) / block;
        if (_blockRow.Length < rowDraws)
        {
            _blockRow = new byte[rowDraws];
        }

        if (_draws.Length < Math.Max(rowDraws, blocksAcross * 16))
        {
            _draws = new byte[Math.Max(rowDraws, blocksAcross * 16)];
        }

        var colours = _blockRow.AsSpan(0, rowBytes);
        var noise = _noise;
        for (var by = y; by < y + h; by += block)
        {
            var bh = Math.Min(block, y + h - by);
            var blockDraws = _draws.AsSpan(0, blocksAcross * 16);
            if (Vectorised)
            {
                noise.Fill(blockDraws);
            }
            else
            {
                noise.FillScalar(blockDraws);
            }

            for (var k = 0; k < blocksAcross; k++)
            {
                var draw = blockDraws.Slice(k * 16, 16);
                var cb = Clamp(mb + BlockNoise(draw, 0));
                var cg = Clamp(mg + BlockNoise(draw, 2));
                var cr = Clamp(mr + BlockNoise(draw, 4));
                var cells = colours.Slice(k * block * 3, Math.Min(block, w - (k * block)) * 3);
                for (var i = 0; i < cells.Length; i += 3)
                {
                    cells[i] = cb;
                    cells[i + 1] = cg;
                    cells[i + 2] = cr;
                }
            }

            var rows = bgr.Slice((by * stride) + (x * 3), ((bh - 1) * stride) + rowBytes);
            if (Vectorised)
            {
                PixelNoiseVectorised(rows, stride, bh, rowBytes, _blockRow, ref noise);
            }
            else
            {
                PixelNoiseScalar(rows, stride, bh, colours, ref noise, _draws.AsSpan(0, rowDraws));
            }
        }

        _noise = noise;
    }

    /// <summary>Uniform block noise in [-<see cref="MosaicBlockNoise"/>, <see cref="MosaicBlockNoise"/>] from the 16 bits at <paramref name="offset"/>, by multiply-shift (no division, bias under 2^-8).</summary>
    private static int BlockNoise(ReadOnlySpan<byte> draw, int offset)
        => (int)(((uint)MemoryMarshal.Read<ushort>(draw[offset..]) * ((2 * MosaicBlockNoise) + 1)) >> 16) - MosaicBlockNoise;

    /// <summary>
    /// Each of <paramref name="count"/> rows (<paramref name="rowBytes"/> long, <paramref name="stride"/> apart)
    /// becomes clamp(colours[i] + (r &amp; 63) - 32), 16 bytes per step: the colour biased by 128 into a signed
    /// byte, a signed saturating add clamps exactly at 0 and 255, and the bias is taken off again.
    /// <paramref name="colours"/> is padded to whole steps, so the last step of a row loads in bounds, and only
    /// the row's own bytes are stored. The generator is copied into a local so its state stays in registers.
    /// </summary>
    private static void PixelNoiseVectorised(Span<byte> rows, int stride, int count, int rowBytes, byte[] colours, ref MosaicNoise noise)
    {
        var bias = Vector128.Create((byte)0x80);
        var mask = Vector128.Create((byte)((2 * MosaicPixelNoise) - 1));
        var offset = Vector128.Create((byte)MosaicPixelNoise);
        ref var source = ref MemoryMarshal.GetArrayDataReference(colours);
        var generator = noise;
        Span<byte> last = stackalloc byte[16];
        for (var r = 0; r < count; r++)
        {
            var line = rows.Slice(r * stride, rowBytes);
            ref var target = ref MemoryMarshal.GetReference(line);
            var i = 0;
            for (; i + 16 <= rowBytes; i += 16)
            {
                var pixelNoise = (generator.Next() & mask) - offset;
                var colour = Vector128.LoadUnsafe(ref source, (nuint)i) ^ bias;
                (Vector128.AddSaturate(colour.AsSByte(), pixelNoise.AsSByte()).AsByte() ^ bias).StoreUnsafe(ref target, (nuint)i);
            }

            if (i < rowBytes)
            {
                var pixelNoise = (generator.Next() & mask) - offset;
                var colour = Vector128.LoadUnsafe(ref source, (nuint)i) ^ bias;
                (Vector128.AddSaturate(colour.AsSByte(), pixelNoise.AsSByte()).AsByte() ^ bias).CopyTo(last);
                last[..(rowBytes - i)].CopyTo(line[i..]);
            }
        }

        noise = generator;
    }

    /// <summary>The same bytes as <see cref="PixelNoiseVectorised"/>, one at a time, the noise drawn a row at a time into <paramref name="draws"/>.</summary>
    private static void PixelNoiseScalar(Span<byte> rows, int stride, int count, ReadOnlySpan<byte> colours, ref MosaicNoise noise, Span<byte> draws)
    {
        for (var r = 0; r < count; r++)
        {
            var line = rows.Slice(r * stride, colours.Length);
            noise.FillScalar(draws);
            for (var i = 0; i < line.Length; i++)
            {
                line[i] = Clamp(colours[i] + (draws[i] & ((2 * MosaicPixelNoise) - 1)) - MosaicPixelNoise);
            }
        }
    }

    /// <summary>Pixelate (reversible, opt-in): every block its own mean, no noise.</summary>
    private static void Pixelate(Span<byte> bgr, int stride, int x, int y, int w, int h, int block)
    {
        for (var by = y; by < y + h; by += block)
        {
            var bh = Math.Min(block, y + h - by);
            for (var bx = x; bx < x + w; bx += block)
            {
                var bw = Math.Min(block, x + w - bx);
                var (mb, mg, mr) = Mean(bgr, stride, bx, by, bw, bh);
                for (var row = by; row < by + bh; row++)
                {
                    var line = bgr.Slice((row * stride) + (bx * 3), bw * 3);
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

    private static byte Clamp(int value) => (byte)(value < 0 ? 0 : value > 255 ? 255 : value);
}
