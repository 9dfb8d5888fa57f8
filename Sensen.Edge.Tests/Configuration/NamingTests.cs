using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tests.Configuration;

public sealed class NamingTests
{
    [TestCase("RetentionDays", "retention_days")]
    [TestCase("Id", "id")]
    [TestCase("H264Nvenc", "h264_nvenc")]
    [TestCase("Fp16", "fp16")]
    [TestCase("SpeedLimitKmh", "speed_limit_kmh")]
    public void SnakeCase_From_Pascal(string pascal, string snake) => Assert.That(SnakeCase.From(pascal), Is.EqualTo(snake));

    [TestCase("urll", "url")]
    [TestCase("trasport", "transport")]
    [TestCase("zzzzzz", null)]
    public void DidYouMean_Closest_OnlyPlausibleTypos(string input, string? expected) =>
        Assert.That(DidYouMean.Closest(input, ["url", "transport", "credential", "id"]), Is.EqualTo(expected));
}
