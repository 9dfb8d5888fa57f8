using Sensen.Edge.Rules;

namespace Sensen.Edge.Tests.Rules;

public sealed class ScheduleWindowTests
{
    [TestCase("Mon-Fri 07:00-09:30", "2026-11-30T08:00", true)] // Monday
    [TestCase("Mon-Fri 07:00-09:30", "2026-11-30T09:30", false)] // end is exclusive
    [TestCase("Mon-Fri 07:00-09:30", "2026-11-29T08:00", false)] // Sunday
    [TestCase("Sat,Sun 10:00-16:00", "2026-11-29T12:00", true)]
    [TestCase("Fri-Mon 10:00-11:00", "2026-11-29T10:30", true)] // wraps over the weekend
    [TestCase("Fri-Mon 10:00-11:00", "2026-12-02T10:30", false)] // Wednesday
    [TestCase("Daily 22:00-06:00", "2026-11-30T23:00", true)]
    [TestCase("Daily 22:00-06:00", "2026-11-30T05:59", true)]
    [TestCase("Mon 22:00-06:00", "2026-12-01T05:00", true)] // Tuesday early morning belongs to Monday night
    [TestCase("Mon 22:00-06:00", "2026-11-30T05:00", false)] // Monday early morning belongs to Sunday night
    public void Contains_LocalTime_MatchesWindow(string window, string local, bool expected)
    {
        Assert.That(ScheduleWindow.TryParse(window, out var parsed, out var error), Is.True, error);
        Assert.That(parsed!.Contains(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(expected));
    }

    [TestCase("weekdays 07:00-09:00", "is not a schedule window")]
    [TestCase("Mon 25:00-26:00", "has a time that does not exist")]
    [TestCase("Mon 07:00-07:00", "starts and ends at the same time")]
    public void TryParse_Malformed_ExplainsWhy(string window, string expected)
    {
        Assert.That(ScheduleWindow.TryParse(window, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected));
    }
}
