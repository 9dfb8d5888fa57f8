using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Detection;

/// <summary>
/// BGR24 frame → normalised float input tensor (NCHW or NHWC, RGB or BGR), letterboxed or stretched with
/// bilinear sampling (pixel centres at +0.5, as OpenCV's INTER_LINEAR). Sampling tables are rebuilt only when
/// the frame size changes, so the steady state allocates nothing.
/// </summary>
internal sealed class ImagePreprocessor
{
    private readonly ModelManifest _manifest;
    private readonly float[] _gain = new float[3];
    private readonly float[] _offset = new float[3];
    private readonly int[] _sourceByte = new int[3];
    private int[] _x0 = [];
    private ushort[] _row = [];
    private int[] _xa = [];
    private int[] _xb = [];
    private int[] _ia = [];
    private int[] _ib = [];
    private float[] _wx = [];
    private int[] _y0 = [];
    private float[] _wy = [];
    private LetterboxTransform _tablesFor;

    /// <param name="manifest">The model's input: size, layout, colour order, normalisation, resize mode.</param>
    /// <param name="path">The horizontal pass to run; the widest this CPU accelerates when null (tests and the
    /// preprocessing benchmark pick each one).</param>
    public ImagePreprocessor(ModelManifest manifest, SamplingPath? path = null)
    {
        _manifest = manifest;
        Path = path ?? SamplingPaths.Best;
        for (var c = 0; c < 3; c++)
        {
            _gain[c] = (float)(1.0 / manifest.Std[c]);
            _offset[c] = (float)(-manifest.Mean[c] / manifest.Std[c]);

            // Frames are B,G,R in memory; model channel c of an RGB model reads byte 2 - c.
            _sourceByte[c] = manifest.ColorOrder == ColorOrder.Rgb ? 2 - c : c;
        }
    }

    public SamplingPath Path { get; }

    public int InputWidth => _manifest.InputWidth;

    public int InputHeight => _manifest.InputHeight;

    public int TensorLength => 3 * InputWidth * InputHeight;

    public LetterboxTransform TransformFor(int frameWidth, int frameHeight) =>
        LetterboxTransform.Create(frameWidth, frameHeight, InputWidth, InputHeight, _manifest.Resize, _manifest.PadAlign);

    /// <summary>
    /// Fills <paramref name="tensor"/> from a BGR24 frame. <paramref name="fillPadding"/> false skips the padding,
    /// for a caller whose tensor already holds it from a previous call with the same transform.
    /// </summary>
    public LetterboxTransform Run(Frame frame, Span<float> tensor, bool fillPadding = true)
    {
        if (frame.Format != PixelFormat.Bgr24)
        {
            throw new ArgumentException($"detection needs BGR24 frames, got {frame.Format}", nameof(frame));
        }

        var transform = TransformFor(frame.Width, frame.Height);
        Run(frame.Pixels, frame.Width, frame.Height, frame.Stride, transform, tensor, fillPadding);
        return transform;
    }

    public void Run(ReadOnlySpan<byte> bgr, int width, int height, int stride, LetterboxTransform transform, Span<float> tensor, bool fillPadding = true)
    {
        if (tensor.Length < TensorLength)
        {
            throw new ArgumentException($"tensor holds {tensor.Length} values, {TensorLength} needed", nameof(tensor));
        }

        // The sampling loop reads without bounds checks, so the pixels must cover every row.
        if (width <= 0 || height <= 0 || stride < width * 3 || bgr.Length < (stride * (height - 1)) + (width * 3))
        {
            throw new ArgumentException($"{bgr.Length} bytes do not hold a {width}x{height} BGR24 picture with stride {stride}", nameof(bgr));
        }

        if (transform != _tablesFor)
        {
            BuildTables(transform);
        }

        var w = InputWidth;
        var h = InputHeight;
        var plane = w * h;
        var nchw = _manifest.Layout == TensorLayout.Nchw;
        var contentX0 = (int)transform.PadX;
        var contentY0 = (int)transform.PadY;
        var contentX1 = Math.Min(w, contentX0 + transform.ContentWidth);
        var contentY1 = Math.Min(h, contentY0 + transform.ContentHeight);
        Span<float> pad = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            pad[c] = (_manifest.PadValue * _gain[c]) + _offset[c];
        }

        // Padding first (rows above and below, then the columns beside the picture), then the picture.
        for (var c = 0; c < (fillPadding ? 3 : 0); c++)
        {
            for (var y = 0; y < h; y++)
            {
                var inside = y >= contentY0 && y < contentY1;
                if (nchw)
                {
                    var line = tensor.Slice((c * plane) + (y * w), w);
                    if (!inside)
                    {
                        line.Fill(pad[c]);
                    }
                    else
                    {
                        line[..contentX0].Fill(pad[c]);
                        line[contentX1..].Fill(pad[c]);
                    }
                }
                else
                {
                    for (var x = 0; x < w; x++)
                    {
                        if (!inside || x < contentX0 || x >= contentX1)
                        {
                            tensor[(((y * w) + x) * 3) + c] = pad[c];
                        }
                    }
                }
            }
        }

        // Separable bilinear: blend the two source rows in 8.8 fixed point (vectorised), then sample along the
        // blended row. Vertical weights are quantised to 1/256, below the 8-bit input's own resolution.
        // One spare element: the hardware gather reads 32 bits at each 16-bit sample, so the last reads one past.
        var rowLength = width * 3;
        if (_row.Length < rowLength + 1)
        {
            _row = new ushort[rowLength + 1];
        }

        ref var output = ref MemoryMarshal.GetReference(tensor);
        ref var row = ref MemoryMarshal.GetArrayDataReference(_row);
        ref var xa = ref MemoryMarshal.GetArrayDataReference(_xa);
        ref var xb = ref MemoryMarshal.GetArrayDataReference(_xb);
        ref var fx = ref MemoryMarshal.GetArrayDataReference(_wx);
        int s0 = _sourceByte[0], s1 = _sourceByte[1], s2 = _sourceByte[2];
        float g0 = _gain[0] / 256, g1 = _gain[1] / 256, g2 = _gain[2] / 256;
        float o0 = _offset[0], o1 = _offset[1], o2 = _offset[2];
        var channelStep = nchw ? plane : 1;
        var pixelStep = nchw ? 1 : 3;
        for (var y = contentY0; y < contentY1; y++)
        {
            var rowA = bgr.Slice(_y0[y] * stride, rowLength);
            var rowB = bgr.Slice(Math.Min(_y0[y] + 1, height - 1) * stride, rowLength);
            BlendRows(rowA, rowB, (ushort)MathF.Round(_wy[y] * 256), _row.AsSpan(0, rowLength));
            var x = contentX0;
            if (nchw && Path == SamplingPath.Vector256)
            {
                x = SampleRowVector(ref row, ref fx, ref output, (y * w) + contentX0, plane, contentX0, contentX1, g0, g1, g2, o0, o1, o2);
            }
            else if (nchw && Path == SamplingPath.Vector128)
            {
                x = SampleRowVector128(ref row, ref fx, ref output, (y * w) + contentX0, plane, contentX0, contentX1, g0, g1, g2, o0, o1, o2);
            }

            var at = ((y * w) + x) * pixelStep;
            for (; x < contentX1; x++, at += pixelStep)
            {
                var a = Unsafe.Add(ref xa, x);
                var b = Unsafe.Add(ref xb, x);
                var wx = Unsafe.Add(ref fx, x);
                Unsafe.Add(ref output, at) = (Lerp(ref row, a + s0, b + s0, wx) * g0) + o0;
                Unsafe.Add(ref output, at + channelStep) = (Lerp(ref row, a + s1, b + s1, wx) * g1) + o1;
                Unsafe.Add(ref output, at + (2 * channelStep)) = (Lerp(ref row, a + s2, b + s2, wx) * g2) + o2;
            }
        }
    }

    /// <summary>
    /// The horizontal pass for an NCHW row, eight output pixels at a time: gathers the two blended samples of each
    /// pixel per channel, then the same float lerp and normalisation as the scalar loop (no FMA contraction, so
    /// the results are bit for bit the scalar ones). Returns the first column left for the scalar tail.
    /// </summary>
    private unsafe int SampleRowVector(ref ushort row, ref float fx, ref float output, int at, int plane, int x0, int x1, float g0, float g1, float g2, float o0, float o1, float o2)
    {
        var x = x0;
        fixed (ushort* pinned = &row)
        {
            for (; x <= x1 - Vector256<float>.Count; x += Vector256<float>.Count, at += Vector256<float>.Count)
            {
                var wx = Vector256.LoadUnsafe(ref fx, (nuint)x);
                SampleChannel(pinned, ref MemoryMarshal.GetArrayDataReference(_ia), ref MemoryMarshal.GetArrayDataReference(_ib), x, wx, g0, o0)
                    .StoreUnsafe(ref output, (nuint)at);
                SampleChannel(pinned, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ia), _xa.Length), ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ib), _xa.Length), x, wx, g1, o1)
                    .StoreUnsafe(ref output, (nuint)(at + plane));
                SampleChannel(pinned, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ia), 2 * _xa.Length), ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ib), 2 * _xa.Length), x, wx, g2, o2)
                    .StoreUnsafe(ref output, (nuint)(at + (2 * plane)));
            }
        }

        return x;
    }

    /// <summary>
    /// <see cref="SampleRowVector"/> four pixels at a time, for CPUs whose vectors are 128 bits (arm64's NEON has no
    /// gather, so the samples are loaded one by one as in the scalar loop; the arithmetic is what is vectorised).
    /// </summary>
    private int SampleRowVector128(ref ushort row, ref float fx, ref float output, int at, int plane, int x0, int x1, float g0, float g1, float g2, float o0, float o1, float o2)
    {
        var x = x0;
        ref var ia = ref MemoryMarshal.GetArrayDataReference(_ia);
        ref var ib = ref MemoryMarshal.GetArrayDataReference(_ib);
        var stride = _xa.Length;
        for (; x <= x1 - Vector128<float>.Count; x += Vector128<float>.Count, at += Vector128<float>.Count)
        {
            var wx = Vector128.LoadUnsafe(ref fx, (nuint)x);
            SampleChannel128(ref row, ref Unsafe.Add(ref ia, x), ref Unsafe.Add(ref ib, x), wx, g0, o0).StoreUnsafe(ref output, (nuint)at);
            SampleChannel128(ref row, ref Unsafe.Add(ref ia, stride + x), ref Unsafe.Add(ref ib, stride + x), wx, g1, o1).StoreUnsafe(ref output, (nuint)(at + plane));
            SampleChannel128(ref row, ref Unsafe.Add(ref ia, (2 * stride) + x), ref Unsafe.Add(ref ib, (2 * stride) + x), wx, g2, o2).StoreUnsafe(ref output, (nuint)(at + (2 * plane)));
        }

        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> SampleChannel128(ref ushort row, ref int ia, ref int ib, Vector128<float> wx, float g, float o)
    {
        var va = Vector128.Create(
            (float)Unsafe.Add(ref row, ia), Unsafe.Add(ref row, Unsafe.Add(ref ia, 1)), Unsafe.Add(ref row, Unsafe.Add(ref ia, 2)), Unsafe.Add(ref row, Unsafe.Add(ref ia, 3)));
        var vb = Vector128.Create(
            (float)Unsafe.Add(ref row, ib), Unsafe.Add(ref row, Unsafe.Add(ref ib, 1)), Unsafe.Add(ref row, Unsafe.Add(ref ib, 2)), Unsafe.Add(ref row, Unsafe.Add(ref ib, 3)));
        return ((va + ((vb - va) * wx)) * g) + Vector128.Create(o);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> SampleChannel(ushort* row, ref int ia, ref int ib, int x, Vector256<float> wx, float g, float o)
    {
        var va = Vector256.ConvertToSingle(Gather(row, ref Unsafe.Add(ref ia, x)));
        var vb = Vector256.ConvertToSingle(Gather(row, ref Unsafe.Add(ref ib, x)));
        return ((va + ((vb - va) * wx)) * g) + Vector256.Create(o);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Gather(ushort* row, ref int index)
    {
        // vpgatherdd (AVX2) reads 32 bits at row + 2 × index; the low half is the sample. Built from eight scalar
        // loads instead, the gather's inserts bound the whole horizontal pass (~0.2 ms of 0.5 per 1280x720 frame).
        if (Avx2.IsSupported)
        {
            return Avx2.GatherVector256((int*)row, Vector256.LoadUnsafe(ref index), 2) & Vector256.Create(0xFFFF);
        }

        return Vector256.Create(
            row[index],
            row[Unsafe.Add(ref index, 1)],
            row[Unsafe.Add(ref index, 2)],
            row[Unsafe.Add(ref index, 3)],
            row[Unsafe.Add(ref index, 4)],
            row[Unsafe.Add(ref index, 5)],
            row[Unsafe.Add(ref index, 6)],
            (int)row[Unsafe.Add(ref index, 7)]);
    }

    /// <summary>destination[i] = a[i] × (256 − t) + b[i] × t: the blend in 8.8 fixed point, <see cref="Vector{T}"/> wide.</summary>
    internal static void BlendRows(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ushort t, Span<ushort> destination)
    {
        var i = 0;
        var keep = (ushort)(256 - t);
        if (Vector.IsHardwareAccelerated)
        {
            var vt = new Vector<ushort>(t);
            var vk = new Vector<ushort>(keep);
            for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(a[i..]), out var a0, out var a1);
                Vector.Widen(new Vector<byte>(b[i..]), out var b0, out var b1);
                ((a0 * vk) + (b0 * vt)).CopyTo(destination[i..]);
                ((a1 * vk) + (b1 * vt)).CopyTo(destination[(i + Vector<ushort>.Count)..]);
            }
        }

        for (; i < a.Length; i++)
        {
            destination[i] = (ushort)((a[i] * keep) + (b[i] * t));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lerp(ref ushort row, int a, int b, float t)
    {
        float va = Unsafe.Add(ref row, a);
        return va + ((Unsafe.Add(ref row, b) - va) * t);
    }

    private void BuildTables(LetterboxTransform t)
    {
        if (_x0.Length != InputWidth)
        {
            _x0 = new int[InputWidth];
            _xa = new int[InputWidth];
            _xb = new int[InputWidth];
            _wx = new float[InputWidth];
            _ia = new int[3 * InputWidth];
            _ib = new int[3 * InputWidth];
            _y0 = new int[InputHeight];
            _wy = new float[InputHeight];
        }

        Fill(_x0, _wx, t.PadX, t.ScaleX, t.FrameWidth);
        for (var i = 0; i < _x0.Length; i++)
        {
            _xa[i] = _x0[i] * 3;
            _xb[i] = Math.Min(_x0[i] + 1, t.FrameWidth - 1) * 3;
            for (var c = 0; c < 3; c++)
            {
                _ia[(c * InputWidth) + i] = _xa[i] + _sourceByte[c];
                _ib[(c * InputWidth) + i] = _xb[i] + _sourceByte[c];
            }
        }

        Fill(_y0, _wy, t.PadY, t.ScaleY, t.FrameHeight);
        _tablesFor = t;
    }

    private static void Fill(int[] index, float[] weight, float pad, float scale, int size)
    {
        for (var i = 0; i < index.Length; i++)
        {
            var source = ((i - pad + 0.5f) / scale) - 0.5f;
            source = Math.Clamp(source, 0, size - 1);
            var floor = (int)source;
            index[i] = floor;
            weight[i] = source - floor;
        }
    }
}
