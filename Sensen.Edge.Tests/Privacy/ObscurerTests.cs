using Sensen.Edge.Detection;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>
/// The obscuring methods on the pixels of a real face (face-api's sample1.jpg, the face face-tiny pins at
/// [779, 446, 1085, 694]). Irreversible methods must leave a patch whose grey-value correlation with the
/// original is below <see cref="IrreversibleCorrelation"/>; the reversible ones keep far more (which is why
/// they are opt-ins), and that is pinned too, so the threshold tells them apart.
/// </summary>
internal sealed class ObscurerTests
{
    /// <summary>The stated threshold: |r| below this between an irreversibly obscured face and the original.</summary>
    private const double IrreversibleCorrelation = 0.3;

    private static readonly BoxF Face = new(779, 446, 1085, 694);

    private byte[] _photo = null!;
    private int _width;
    private int _height;

    [OneTimeSetUp]
    public void LoadPhoto() => (_photo, _width, _height) = OperatorImage.Load(TestImages.FaceApiSample(1));

    [Test]
    public void Obscure_Fill_RegionIsFlatGreyAndTheRestUntouched()
    {
        var pixels = (byte[])_photo.Clone();
        var obscurer = new Obscurer(ObscureMethod.Fill);

        Assert.That(obscurer.Obscure(pixels, _width, _height, Face, 0), Is.True);

        Assert.That(pixels.AsSpan(((446 * _width) + 779) * 3, 306 * 3).ToArray(), Is.All.EqualTo(Obscurer.FillValue));
        Assert.That(pixels.AsSpan(((693 * _width) + 779) * 3, 306 * 3).ToArray(), Is.All.EqualTo(Obscurer.FillValue));
        Assert.That(PatchStats.Correlation(_photo, pixels, _width, Face), Is.Zero);
        Assert.That(PatchStats.Same(_photo, pixels, _width, Face with { Y1 = 0, Y2 = 446 }), Is.True, "above the face");
        Assert.That(PatchStats.Same(_photo, pixels, _width, new BoxF(0, 446, 779, 694)), Is.True, "left of the face");
        Assert.That(PatchStats.Same(_photo, pixels, _width, new BoxF(1085, 446, _width, 694)), Is.True, "right of the face");
    }

    [Test]
    public void Obscure_Dilation_GrowsHalfOnEachSide()
    {
        var (x, y, w, h) = Obscurer.Dilate(new BoxF(100, 100, 200, 140), 0.3, 1920, 1080);

        Assert.That((x, y, w, h), Is.EqualTo((85, 94, 130, 52)));
        Assert.That(Obscurer.Dilate(new BoxF(-10, 1070, 50, 1100), 0.3, 1920, 1080), Is.EqualTo((0, 1065, 59, 15)), "clipped to the frame");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Obscure_Mosaic_UncorrelatedWithTheFace(bool vectorised)
    {
        var pixels = (byte[])_photo.Clone();
        var obscurer = Mosaic(vectorised);
        obscurer.Obscure(pixels, _width, _height, Face, 0);

        var r = PatchStats.Correlation(_photo, pixels, _width, Face);
        TestContext.Out.WriteLine($"mosaic ({(obscurer.Vectorised ? "vector" : "scalar")}) correlation with the original face: {r:0.000}");
        Assert.That(Math.Abs(r), Is.LessThan(IrreversibleCorrelation));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Obscure_MosaicOnTwoFrames_NoiseDiffersAndDoesNotAverageBackToTheFace(bool vectorised)
    {
        var obscurer = Mosaic(vectorised);
        var sum = new double[_photo.Length];
        byte[]? first = null;
        const int Frames = 16;
        for (var f = 0; f < Frames; f++)
        {
            obscurer.BeginFrame();
            var pixels = (byte[])_photo.Clone();
            obscurer.Obscure(pixels, _width, _height, Face, 0);
            if (first is null)
            {
                first = pixels;
            }
            else if (f == 1)
            {
                Assert.That(PatchStats.Same(first, pixels, _width, Face), Is.False, "the noise is drawn afresh per frame");
            }

            for (var i = 0; i < pixels.Length; i++)
            {
                sum[i] += pixels[i];
            }
        }

        // An attacker averaging many frames of a still face cancels the noise, but only back to one mean colour.
        var mean = sum.Select(v => (byte)Math.Round(v / Frames)).ToArray();
        var r = PatchStats.Correlation(_photo, mean, _width, Face);
        TestContext.Out.WriteLine($"mosaic averaged over {Frames} frames, correlation with the original face: {r:0.000}");
        Assert.That(Math.Abs(r), Is.LessThan(IrreversibleCorrelation));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Obscure_MosaicEitherPath_BlocksOfNoiseAroundTheRegionMean(bool vectorised)
    {
        var pixels = (byte[])_photo.Clone();
        var (x, y, w, h) = Obscurer.Dilate(Face, 0.3, _width, _height);
        var mean = ChannelMeans(_photo, x, y, w, h);

        Mosaic(vectorised).Obscure(pixels, _width, _height, Face, 0.3);

        // Each byte is its channel's region mean plus block noise (±96) plus pixel noise ([-32, 31]), clamped.
        var block = Math.Max(4, Math.Min(w, h) / Obscurer.MosaicBlocksAcross);
        var colours = new HashSet<(int, int, int)>();
        for (var by = y; by < y + h; by += block)
        {
            for (var bx = x; bx < x + w; bx += block)
            {
                var low = new[] { 255, 255, 255 };
                var high = new[] { 0, 0, 0 };
                for (var row = by; row < Math.Min(by + block, y + h); row++)
                {
                    for (var col = bx; col < Math.Min(bx + block, x + w); col++)
                    {
                        for (var c = 0; c < 3; c++)
                        {
                            int v = pixels[(((row * _width) + col) * 3) + c];
                            low[c] = Math.Min(low[c], v);
                            high[c] = Math.Max(high[c], v);
                            Assert.That(v, Is.InRange(Math.Max(0, mean[c] - Obscurer.MosaicBlockNoise - Obscurer.MosaicPixelNoise), Math.Min(255, mean[c] + Obscurer.MosaicBlockNoise + Obscurer.MosaicPixelNoise - 1)), $"({col}, {row}) channel {c}");
                        }
                    }
                }

                for (var c = 0; c < 3; c++)
                {
                    Assert.That(high[c] - low[c], Is.LessThanOrEqualTo((2 * Obscurer.MosaicPixelNoise) - 1), $"block ({bx}, {by}) channel {c}: one colour plus pixel noise");
                }

                colours.Add((low[0] / 16, low[1] / 16, low[2] / 16));
            }
        }

        var blocks = ((w + block - 1) / block) * ((h + block - 1) / block);
        Assert.That(colours, Has.Count.GreaterThan(blocks / 4), "the blocks carry noise of their own");
        // The median, not the mean: clamping at 0 and 255 shifts a dark or bright region's mean, not its median.
        for (var c = 0; c < 3; c++)
        {
            var values = new List<byte>();
            for (var row = y; row < y + h; row++)
            {
                for (var col = x; col < x + w; col++)
                {
                    values.Add(pixels[(((row * _width) + col) * 3) + c]);
                }
            }

            values.Sort();
            Assert.That((int)values[values.Count / 2], Is.EqualTo(mean[c]).Within(15), $"channel {c}: the noise is centred on the region's mean");
        }

        Assert.That(PatchStats.Same(_photo, pixels, _width, new BoxF(0, 0, _width, y)), Is.True, "above the region");
        Assert.That(PatchStats.Same(_photo, pixels, _width, new BoxF(0, y, x, y + h)), Is.True, "left of the region");
        Assert.That(PatchStats.Same(_photo, pixels, _width, new BoxF(x + w, y, _width, y + h)), Is.True, "right of the region");
        Assert.That(PatchStats.Same(_photo, pixels, _width, new BoxF(0, y + h, _width, _height)), Is.True, "below the region");
    }

    [Test]
    public void Obscure_MosaicVectorAndScalar_SameSeedWriteTheSameBytes()
    {
        var vector = new Obscurer(ObscureMethod.Mosaic, vectorised: true);
        Assume.That(vector.Vectorised, Is.True, "this machine has no Vector128 acceleration: only the scalar path runs");
        var scalar = new Obscurer(ObscureMethod.Mosaic, vectorised: false);
        var seed = Enumerable.Range(0, 64).Select(i => (byte)((i * 37) + 11)).ToArray();
        var a = (byte[])_photo.Clone();
        var b = (byte[])_photo.Clone();
        vector.BeginFrame(seed);
        scalar.BeginFrame(seed);

        // Widths whose rows end inside a 16-byte step (1, 5, 37 px) and inside a 48-byte sum chunk, a region at
        // the frame's corner, and the face: several regions on one frame share one stream of noise.
        (int X, int Y, int W, int H)[] regions = [(3, 5, 37, 11), (0, 0, 1, 1), (100, 40, 5, 9), (_width - 41, _height - 17, 41, 17), Obscurer.Dilate(Face, 0.3, _width, _height)];
        foreach (var (x, y, w, h) in regions)
        {
            vector.Obscure(a, _width, _height, x, y, w, h);
            scalar.Obscure(b, _width, _height, x, y, w, h);
        }

        Assert.That(a, Is.Not.EqualTo(_photo));
        Assert.That(a.AsSpan().SequenceEqual(b), Is.True, "the vector and scalar mosaics differ");
    }

    [TestCase(ObscureMethod.Blur)]
    [TestCase(ObscureMethod.Pixelate)]
    public void Obscure_ReversibleMethods_KeepTheFaceCorrelated(ObscureMethod method)
    {
        var pixels = (byte[])_photo.Clone();
        new Obscurer(method).Obscure(pixels, _width, _height, Face, 0);

        var r = PatchStats.Correlation(_photo, pixels, _width, Face);
        TestContext.Out.WriteLine($"{method} correlation with the original face: {r:0.000}");
        Assert.That(PatchStats.Same(_photo, pixels, _width, Face), Is.False);
        Assert.That(r, Is.GreaterThan(0.8), "blur and pixelate keep the face's structure: reversible, so opt-in only");
        Assert.That(Obscurer.IsReversible(method), Is.True);
    }

    [TestCase(ObscureMethod.Fill, true)]
    [TestCase(ObscureMethod.Mosaic, true)]
    [TestCase(ObscureMethod.Mosaic, false)]
    [TestCase(ObscureMethod.Blur, true)]
    [TestCase(ObscureMethod.Pixelate, true)]
    public void Obscure_SteadyState_AllocatesNothing(ObscureMethod method, bool vectorised)
    {
        var pixels = (byte[])_photo.Clone();
        var obscurer = new Obscurer(method, vectorised);

        // Tiered compilation allocates on the calling thread now and then (call counting, tier-1 and OSR
        // installs) until the loops are promoted: warm up, then measure windows of frames. An allocation per
        // frame shows in every window; the runtime's one-offs do not, so one clean window of five is asked for.
        var frames = method is ObscureMethod.Blur ? 10 : 100;
        Frames(frames);
        var windows = new List<long>();
        for (var w = 0; w < 5 && (windows.Count == 0 || windows[^1] != 0); w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Frames(frames);
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(windows.Min(), Is.Zero, $"bytes allocated per window of {frames} frames: {string.Join(", ", windows)}");

        void Frames(int count)
        {
            for (var i = 0; i < count; i++)
            {
                obscurer.BeginFrame();
                obscurer.Obscure(pixels, _width, _height, Face, 0.3);
                obscurer.Obscure(pixels, _width, _height, new BoxF(10, 10, 60, 40), 0.3);
            }
        }
    }

    [Test]
    public void Obscure_RegionOutsideTheFrame_DoesNothing()
    {
        var pixels = (byte[])_photo.Clone();

        Assert.That(new Obscurer(ObscureMethod.Fill).Obscure(pixels, _width, _height, new BoxF(-50, -50, -10, -10), 0.3), Is.False);
        Assert.That(pixels, Is.EqualTo(_photo));
    }

    [Test]
    public void Obscure_RectangleBeyondTheFrame_Throws()
    {
        var pixels = new byte[10 * 10 * 3];

        Assert.That(() => new Obscurer(ObscureMethod.Fill).Obscure(pixels, 10, 10, 5, 5, 6, 2), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static Obscurer Mosaic(bool vectorised)
    {
        var obscurer = new Obscurer(ObscureMethod.Mosaic, vectorised);
        if (vectorised)
        {
            Assume.That(obscurer.Vectorised, Is.True, "this machine has no Vector128 acceleration: the scalar case covers it");
        }

        return obscurer;
    }

    private int[] ChannelMeans(byte[] pixels, int x, int y, int w, int h)
    {
        var sums = new long[3];
        for (var row = y; row < y + h; row++)
        {
            for (var col = x; col < x + w; col++)
            {
                for (var c = 0; c < 3; c++)
                {
                    sums[c] += pixels[(((row * _width) + col) * 3) + c];
                }
            }
        }

        return [.. sums.Select(v => (int)(v / ((long)w * h)))];
    }
}
