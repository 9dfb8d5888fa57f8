namespace Sensen.Edge.Rules;

/// <summary>
/// When a rule is in force: its windows, read in the device's IANA time zone. Instants are converted from
/// UTC to local time (always well defined, unlike the reverse), so across a daylight-saving change a
/// "07:00-09:30" window still opens at 07:00 on the wall clock, whichever UTC offset that day has.
/// </summary>
internal sealed class RuleSchedule
{
    private readonly ScheduleWindow[] _windows;
    private readonly TimeZoneInfo _zone;

    public RuleSchedule(IEnumerable<ScheduleWindow> windows, TimeZoneInfo zone)
    {
        _windows = [.. windows];
        _zone = zone;
    }

    public static RuleSchedule Always { get; } = new([], TimeZoneInfo.Utc);

    /// <summary>Parses the configured windows (validated at start-up; a bad one here is a programming error).</summary>
    public static RuleSchedule Parse(IReadOnlyList<string> windows, TimeZoneInfo zone)
    {
        var parsed = new List<ScheduleWindow>(windows.Count);
        foreach (var text in windows)
        {
            if (!ScheduleWindow.TryParse(text, out var window, out var error))
            {
                throw new ArgumentException(error, nameof(windows));
            }

            parsed.Add(window!);
        }

        return new RuleSchedule(parsed, zone);
    }

    public bool IsActive(DateTimeOffset instant)
    {
        if (_windows.Length == 0)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(instant, _zone).DateTime;
        foreach (var window in _windows)
        {
            if (window.Contains(local))
            {
                return true;
            }
        }

        return false;
    }
}
