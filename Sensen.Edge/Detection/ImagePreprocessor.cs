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
    private float[] _wx = [];
    private int[] _y0 = [];
    private float[] _wy = [];
    private LetterboxTransform _tablesFor;

    public ImagePreprocessor(ModelManifest manifest)
    {
        _manifest = manifest;
        for (var c = 0; c < 3; c++)
        {
            _gain[c] = (float)(1.0 / manifest.Std[c]);
            _offset[c] = (float)(-manifest.Mean[c] / manifest.Std[c]);

            // Frames are B,G,R in memory; model channel c of an RGB model reads byte 2 - c.
            _sourceByte[c] = manifest.ColorOrder == ColorOrder.Rgb ? 2 - c : c;
        }
    }

    public int InputWidth => _manifest.InputWidth;

    public int InputHeight => _manifest.InputHeight;

    public int TensorLength => 3 * InputWidth * InputHeight;

    public LetterboxTransform TransformFor(int frameWidth, int frameHeight) =>
        LetterboxTransform.Create(frameWidth, frameHeight, InputWidth, InputHeight, _manifest.Resize, _manifest.PadAlign);

    /// <summary>Fills <paramref name="tensor"/> from a BGR24 frame.</summary>
    public LetterboxTransform Run(Frame frame, Span<float> tensor)
    {
        if (frame.Format != PixelFormat.Bgr24)
        {
            throw new ArgumentException($"detection needs BGR24 frames, got {frame.Format}", nameof(frame));
        }

        var transform = TransformFor(frame.Width, frame.Height);
        Run(frame.Pixels, frame.Width, frame.Height, frame.Stride, transform, tensor);
        return transform;
    }

    public void Run(ReadOnlySpan<byte> bgr, int width, int height, int stride, LetterboxTransform transform, Span<float> tensor)
    {
        if (tensor.Length < TensorLength)
        {
            throw new ArgumentException($"tensor holds {tensor.Length} values, {TensorLength} needed", nameof(tensor));
        }

        if (transform != _tablesFor)
        {
            BuildTables(transform);
        }

        var w = InputWidth;
        var h = InputHeight;
        var plane = w * h;
        var nchw = _manifest.Layout == TensorLayout.Nchw;
        var x0 = _x0;
        var wx = _wx;
        var contentX0 = (int)transform.PadX;
        var contentY0 = (int)transform.PadY;
        var contentX1 = Math.Min(w, contentX0 + transform.ContentWidth);
        var contentY1 = Math.Min(h, contentY0 + transform.ContentHeight);
        Span<float> pad = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            pad[c] = (_manifest.PadValue * _gain[c]) + _offset[c];
        }

        var s0 = _sourceByte[0];
        var s1 = _sourceByte[1];
        var s2 = _sourceByte[2];
        var g0 = _gain[0];
        var g1 = _gain[1];
        var g2 = _gain[2];
        var o0 = _offset[0];
        var o1 = _offset[1];
        var o2 = _offset[2];

        for (var y = 0; y < h; y++)
        {
            var inside = y >= contentY0 && y < contentY1;
            var rowA = 0;
            var rowB = 0;
            var fy = 0f;
            if (inside)
            {
                rowA = _y0[y] * stride;
                rowB = Math.Min(_y0[y] + 1, height - 1) * stride;
                fy = _wy[y];
            }

            for (var x = 0; x < w; x++)
            {
                float v0, v1, v2;
                if (!inside || x < contentX0 || x >= contentX1)
                {
                    v0 = pad[0];
                    v1 = pad[1];
                    v2 = pad[2];
                }
                else
                {
                    var xa = x0[x] * 3;
                    var xb = Math.Min(x0[x] + 1, width - 1) * 3;
                    var fx = wx[x];
                    v0 = (Sample(bgr, rowA, rowB, xa, xb, s0, fx, fy) * g0) + o0;
                    v1 = (Sample(bgr, rowA, rowB, xa, xb, s1, fx, fy) * g1) + o1;
                    v2 = (Sample(bgr, rowA, rowB, xa, xb, s2, fx, fy) * g2) + o2;
                }

                if (nchw)
                {
                    var i = (y * w) + x;
                    tensor[i] = v0;
                    tensor[plane + i] = v1;
                    tensor[(2 * plane) + i] = v2;
                }
                else
                {
                    var i = ((y * w) + x) * 3;
                    tensor[i] = v0;
                    tensor[i + 1] = v1;
                    tensor[i + 2] = v2;
                }
            }
        }
    }

    private static float Sample(ReadOnlySpan<byte> bgr, int rowA, int rowB, int xa, int xb, int channel, float fx, float fy)
    {
        float a = bgr[rowA + xa + channel];
        float b = bgr[rowA + xb + channel];
        float c = bgr[rowB + xa + channel];
        float d = bgr[rowB + xb + channel];
        var top = a + ((b - a) * fx);
        var bottom = c + ((d - c) * fx);
        return top + ((bottom - top) * fy);
    }

    private void BuildTables(LetterboxTransform t)
    {
        if (_x0.Length != InputWidth)
        {
            _x0 = new int[InputWidth];
            _wx = new float[InputWidth];
            _y0 = new int[InputHeight];
            _wy = new float[InputHeight];
        }

        Fill(_x0, _wx, t.PadX, t.ScaleX, t.FrameWidth);
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
