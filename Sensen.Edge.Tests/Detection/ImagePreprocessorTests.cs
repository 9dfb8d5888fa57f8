using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Detection;

internal sealed class ImagePreprocessorTests
{
    [Test]
    public void Run_LetterboxTopLeftRgb_PixelsSwappedNormalisedAndPadded()
    {
        // A 2x1 BGR frame (blue, red) into a 4x4 input: scale 2, picture 4x2 at the top, 2 padded rows.
        byte[] bgr = [255, 0, 0, 0, 0, 255];
        var manifest = new ModelManifest { InputWidth = 4, InputHeight = 4, PadAlign = PadAlign.TopLeft, PadValue = 0, Mean = [10, 20, 30], Std = [2, 4, 5], ColorOrder = ColorOrder.Rgb };
        var pre = new ImagePreprocessor(manifest);
        var tensor = new float[pre.TensorLength];

        var transform = pre.TransformFor(2, 1);
        pre.Run(bgr, 2, 1, 6, transform, tensor);

        Assert.That(transform, Is.EqualTo(new LetterboxTransform(2, 2, 0, 0, 2, 1, 4, 4)));

        // Channel 0 is red: x 0 samples the blue pixel (R 0), x 3 the red one (R 255); x 1 and 2 blend
        // (source x = (x + 0.5) / 2 - 0.5 → 0.25 and 0.75).
        float R(int x, int y) => tensor[(y * 4) + x];
        float B(int x, int y) => tensor[(2 * 16) + (y * 4) + x];
        Assert.That(R(0, 0), Is.EqualTo((0 - 10) / 2f));
        Assert.That(R(1, 0), Is.EqualTo(((0.25f * 255) - 10) / 2f).Within(1e-4));
        Assert.That(R(2, 1), Is.EqualTo(((0.75f * 255) - 10) / 2f).Within(1e-4));
        Assert.That(R(3, 1), Is.EqualTo((255 - 10) / 2f));
        Assert.That(B(0, 0), Is.EqualTo((255 - 30) / 5f));

        // Rows 2 and 3 are padding: pad value 0, normalised.
        Assert.That(R(1, 2), Is.EqualTo(-10 / 2f));
        Assert.That(tensor[16 + 15], Is.EqualTo(-20 / 4f));
        Assert.That(B(3, 3), Is.EqualTo(-30 / 5f));
    }

    [Test]
    public void Run_NhwcBgrCentred_ChannelsInterleavedInFrameOrder()
    {
        // A 1x2 frame into a 2x2 centred letterbox at scale 1: (2 - 1) / 2 = 0 columns pad the left, one the right.
        byte[] bgr = [1, 2, 3, 4, 5, 6];
        var manifest = new ModelManifest { InputWidth = 2, InputHeight = 2, Layout = TensorLayout.Nhwc, ColorOrder = ColorOrder.Bgr, PadValue = 114, Mean = [0, 0, 0], Std = [1, 1, 1] };
        var pre = new ImagePreprocessor(manifest);
        var tensor = new float[pre.TensorLength];

        pre.Run(bgr, 1, 2, 3, pre.TransformFor(1, 2), tensor);

        Assert.That(tensor, Is.EqualTo(new float[] { 1, 2, 3, 114, 114, 114, 4, 5, 6, 114, 114, 114 }));
    }

    [TestCase(64, 48)]
    [TestCase(48, 64)]
    [TestCase(37, 29)]
    public void Run_NchwCentredLetterbox_MatchesReferenceBilinear(int width, int height)
    {
        // 44 columns: five 8-wide vector blocks and a scalar tail; a portrait frame also offsets them by the padding.
        var random = new Random(width * 1000 + height);
        var bgr = new byte[width * height * 3];
        random.NextBytes(bgr);
        var manifest = new ModelManifest { InputWidth = 44, InputHeight = 44, PadValue = 114, Mean = [10, 20, 30], Std = [50, 60, 70], ColorOrder = ColorOrder.Rgb };
        var pre = new ImagePreprocessor(manifest);
        var tensor = new float[pre.TensorLength];
        var t = pre.TransformFor(width, height);

        pre.Run(bgr, width, height, width * 3, t, tensor);

        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < 44; y++)
            {
                for (var x = 0; x < 44; x++)
                {
                    var inside = x >= t.PadX && x < t.PadX + t.ContentWidth && y >= t.PadY && y < t.PadY + t.ContentHeight;
                    var expected = ((inside ? Reference(x, y, 2 - c) : 114) - manifest.Mean[c]) / manifest.Std[c];

                    // The vertical weight is quantised to 1/256: at most half a step of a 0..255 difference.
                    Assert.That(tensor[(c * 44 * 44) + (y * 44) + x], Is.EqualTo(expected).Within(0.51 / manifest.Std[c]), $"c {c} x {x} y {y}");
                }
            }
        }

        double Reference(int x, int y, int channel)
        {
            var sx = Math.Clamp(((x - t.PadX + 0.5f) / t.ScaleX) - 0.5f, 0, width - 1);
            var sy = Math.Clamp(((y - t.PadY + 0.5f) / t.ScaleY) - 0.5f, 0, height - 1);
            int x0 = (int)sx, y0 = (int)sy, x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
            double P(int px, int py) => bgr[(((py * width) + px) * 3) + channel];
            var top = P(x0, y0) + ((P(x1, y0) - P(x0, y0)) * (sx - x0));
            var bottom = P(x0, y1) + ((P(x1, y1) - P(x0, y1)) * (sx - x0));
            return top + ((bottom - top) * (sy - y0));
        }
    }

    [TestCase(SamplingPath.Scalar, 64, 48)]
    [TestCase(SamplingPath.Vector128, 64, 48)]
    [TestCase(SamplingPath.Vector128, 37, 29)]
    [TestCase(SamplingPath.Vector256, 37, 29)]
    public void Run_EachSamplingPath_BitIdenticalToScalar(SamplingPath path, int width, int height)
    {
        // arm64 runs the Vector128 path (no AVX2 gather, 128-bit NEON), x86-64 the Vector256 one; both must give
        // exactly what the scalar loop gives, so a model scores the same picture the same on either machine.
        // 45 columns: 128-bit blocks, 256-bit blocks and a tail of each; an odd frame puts the padding at odd offsets.
        Assume.That(SamplingPaths.IsAccelerated(path), $"{path} is not hardware-accelerated on this CPU");
        var random = new Random((width * 1000) + height);
        var bgr = new byte[width * height * 3];
        random.NextBytes(bgr);
        var manifest = new ModelManifest { InputWidth = 45, InputHeight = 41, PadValue = 114, Mean = [10, 20, 30], Std = [50, 60, 70], ColorOrder = ColorOrder.Rgb };
        var scalar = new ImagePreprocessor(manifest, SamplingPath.Scalar);
        var chosen = new ImagePreprocessor(manifest, path);
        var expected = new float[scalar.TensorLength];
        var actual = new float[chosen.TensorLength];

        scalar.Run(bgr, width, height, width * 3, scalar.TransformFor(width, height), expected);
        chosen.Run(bgr, width, height, width * 3, chosen.TransformFor(width, height), actual);

        Assert.That(chosen.Path, Is.EqualTo(path));
        Assert.That(actual, Is.EqualTo(expected).AsCollection);
        Assert.That(actual.Distinct().Count(), Is.GreaterThan(1000), "the picture, not only padding, was compared");
    }

    [Test]
    public void ToFrame_CentredLetterbox_InvertsToInput()
    {
        var t = LetterboxTransform.Create(1280, 720, 640, 640, ResizeMode.Letterbox, PadAlign.Center);
        var box = new BoxF(100, 50, 300, 250);

        var back = t.ToFrame(t.ToInput(box));

        Assert.That(t.PadY, Is.EqualTo(140));
        Assert.That(back.X1, Is.EqualTo(100).Within(1e-3));
        Assert.That(back.Y2, Is.EqualTo(250).Within(1e-3));
    }
}
