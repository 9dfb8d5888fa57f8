using Sensen.Edge.Privacy;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>
/// The mosaic's channel sums: the vector path equals the scalar one and the exact sums, on a row long enough
/// (262 chunks of 48 bytes, all 255) to overflow the 16-bit lanes without their flush, and on a region tall
/// enough to pass the 32-bit lanes' flush.
/// </summary>
internal sealed class ChannelSumsTests
{
    [TestCase(1, 1)]
    [TestCase(15, 7)]
    [TestCase(16, 3)]
    [TestCase(17, 5)]
    [TestCase(156, 156)]
    public void Vectorised_RandomPixels_EqualsScalarAndExact(int w, int h)
    {
        const int Width = 200, Height = 170;
        var pixels = new byte[Width * Height * 3];
        new Random(w * 1000 + h).NextBytes(pixels);
        var (x, y) = (Width - w - 3, Height - h - 2);

        long b = 0, g = 0, r = 0;
        for (var row = y; row < y + h; row++)
        {
            for (var col = x; col < x + w; col++)
            {
                var i = ((row * Width) + col) * 3;
                b += pixels[i];
                g += pixels[i + 1];
                r += pixels[i + 2];
            }
        }

        Assert.That(ChannelSums.Vectorised(pixels, Width * 3, x, y, w, h), Is.EqualTo((b, g, r)));
        Assert.That(ChannelSums.Scalar(pixels, Width * 3, x, y, w, h), Is.EqualTo((b, g, r)));
    }

    [TestCase(4200, 3)]
    [TestCase(16, 4100)]
    public void Vectorised_WhiteRegionsPastEveryFlush_NoLaneOverflows(int w, int h)
    {
        var pixels = new byte[w * h * 3];
        Array.Fill(pixels, (byte)255);
        var expected = 255L * w * h;

        Assert.That(ChannelSums.Vectorised(pixels, w * 3, 0, 0, w, h), Is.EqualTo((expected, expected, expected)));
    }
}
