using System.Globalization;
using System.Text.RegularExpressions;

namespace Sensen.Edge.Rules;

/// <summary>
/// One time window in which a rule is in force, written <c>"Mon-Fri 07:00-09:30"</c>, <c>"Sat,Sun 10:00-16:00"</c>
/// or <c>"Daily 22:00-06:00"</c> (a window past midnight belongs to the day it starts on).
/// </summary>
internal sealed partial record ScheduleWindow(IReadOnlySet<DayOfWeek> Days, TimeOnly Start, TimeOnly End)
{
    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    public static bool TryParse(string text, out ScheduleWindow? window, out string error)
    {
        window = null;
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            error = $"'{text}' is not a schedule window; write e.g. 'Mon-Fri 07:00-09:30' or 'Daily 22:00-06:00'";
            return false;
        }

        var days = new HashSet<DayOfWeek>();
        foreach (var part in match.Groups["days"].Value.Split(','))
        {
            if (part == "Daily")
            {
                days.UnionWith(Enum.GetValues<DayOfWeek>());
                continue;
            }

            var range = part.Split('-');
            var first = Array.IndexOf(DayNames, range[0]);
            var last = range.Length == 2 ? Array.IndexOf(DayNames, range[1]) : first;
            for (var d = first; ; d = (d + 1) % 7)
            {
                days.Add((DayOfWeek)d);
                if (d == last)
                {
                    break;
                }
            }
        }

        if (!TimeOnly.TryParseExact(match.Groups["start"].Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(match.Groups["end"].Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            error = $"'{text}' has a time that does not exist (use 00:00 to 23:59)";
            return false;
        }

        if (start == end)
        {
            error = $"'{text}' starts and ends at the same time";
            return false;
        }

        window = new ScheduleWindow(days, start, end);
        error = "";
        return true;
    }

    /// <summary>Whether <paramref name="local"/> (in the device's time zone) falls inside the window.</summary>
    public bool Contains(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        if (Start < End)
        {
            return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
        }

        // Past midnight: the early-morning part belongs to the previous day's window.
        return (Days.Contains(local.DayOfWeek) && time >= Start)
            || (Days.Contains(local.AddDays(-1).DayOfWeek) && time < End);
    }

    [GeneratedRegex(@"^(?<days>(Daily|(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)(,(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)*)\s+(?<start>\d\d:\d\d)-(?<end>\d\d:\d\d)$")]
    private static partial Regex Pattern();
}
