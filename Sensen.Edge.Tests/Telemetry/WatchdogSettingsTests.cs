using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tests.Telemetry;

internal sealed class WatchdogSettingsTests
{
    [Test]
    public void Parse_UsecWithoutPid_PingsAtHalf()
    {
        var settings = WatchdogSettings.Parse("60000000", null, 1234);

        Assert.That(settings, Is.Not.Null);
        Assert.That(settings!.Interval, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(settings.PingEvery, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [TestCase("60000000", "1234", ExpectedResult = true)]
    [TestCase("60000000", "999", ExpectedResult = false)]
    [TestCase("60000000", "x", ExpectedResult = false)]
    [TestCase("0", null, ExpectedResult = false)]
    [TestCase("-5", null, ExpectedResult = false)]
    [TestCase("soon", null, ExpectedResult = false)]
    [TestCase(null, null, ExpectedResult = false)]
    public bool Parse_PidMustBeOurs_AsSdWatchdogEnabled(string? usec, string? pid) =>
        WatchdogSettings.Parse(usec, pid, 1234) is not null;
}
