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

    [Test]
    public void Obscure_Mosaic_UncorrelatedWithTheFace()
    {
        var pixels = (byte[])_photo.Clone();
        new Obscurer(ObscureMethod.Mosaic).Obscure(pixels, _width, _height, Face, 0);

        var r = PatchStats.Correlation(_photo, pixels, _width, Face);
        TestContext.Out.WriteLine($"mosaic correlation with the original face: {r:0.000}");
        Assert.That(Math.Abs(r), Is.LessThan(IrreversibleCorrelation));
    }

    [Test]
    public void Obscure_MosaicOnTwoFrames_NoiseDiffersAndDoesNotAverageBackToTheFace()
    {
        var obscurer = new Obscurer(ObscureMethod.Mosaic);
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

    [TestCase(ObscureMethod.Fill)]
    [TestCase(ObscureMethod.Mosaic)]
    [TestCase(ObscureMethod.Blur)]
    [TestCase(ObscureMethod.Pixelate)]
    public void Obscure_SteadyState_AllocatesNothing(ObscureMethod method)
    {
        var pixels = (byte[])_photo.Clone();
        var obscurer = new Obscurer(method);
        obscurer.Obscure(pixels, _width, _height, Face, 0.3);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            obscurer.BeginFrame();
            obscurer.Obscure(pixels, _width, _height, Face, 0.3);
            obscurer.Obscure(pixels, _width, _height, new BoxF(10, 10, 60, 40), 0.3);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
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
}
