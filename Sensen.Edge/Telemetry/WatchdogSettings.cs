using System.Globalization;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// The service manager's watchdog request, read as sd_watchdog_enabled(3) does: <c>WATCHDOG_USEC</c> is the
/// interval, and <c>WATCHDOG_PID</c>, when set, must name this process (otherwise the request is for another).
/// </summary>
internal sealed record WatchdogSettings(TimeSpan Interval)
{
    /// <summary>How often to ping: half the interval, as sd_watchdog_enabled(3) recommends.</summary>
    public TimeSpan PingEvery => Interval / 2;

    /// <summary>The watchdog request for this process, or null when there is none.</summary>
    public static WatchdogSettings? Parse(string? usec, string? pid, int processId)
    {
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var target) || target != processId))
        {
            return null;
        }

        return new WatchdogSettings(TimeSpan.FromMicroseconds(microseconds));
    }

    public static WatchdogSettings? FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
}
