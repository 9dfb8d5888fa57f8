using System.Text;

namespace Sensen.Edge.Bench;

/// <summary>
/// The dated section a suite run writes into docs/BENCHMARKS.md (or the file <c>--out</c> names): its heading
/// (date and mode), the command that made it, the machine, notes and a table of every figure. Runs go under
/// <see cref="RunsHeading"/>; a new run replaces an earlier section of the same date and mode, so a day's
/// figures are the last run's and never a mix.
/// </summary>
internal static class BenchSection
{
    public const string RunsHeading = "## bench runs";

    private const string Intro =
        "Written by `sensen-edge bench` (Sensen.Edge.Bench's `suite` mode): every figure is our stage's value beside its limit, "
        + "measured side by side in the same run, medians over rounds; the ratio is value / limit and the goal is on the ratio. "
        + "A section is replaced by a later run of the same date and mode.";

    /// <summary>The section's heading line: <c>### 2026-12-03 quick</c>, <c>### 2026-12-03 full, only tracking</c>.</summary>
    public static string Heading(DateTimeOffset date, string mode) => $"### {date.UtcDateTime:yyyy-MM-dd} {mode}";

    public static string Render(string heading, string command, BenchMachine machine, IReadOnlyList<string> notes, IReadOnlyList<BenchFigure> figures)
    {
        var text = new StringBuilder();
        text.Append(heading).Append("\n\n");
        text.Append("    ").Append(command).Append("\n\n");
        text.Append("Machine: ").Append(machine.Describe()).Append(".\n\n");
        foreach (var note in notes)
        {
            text.Append(note).Append("\n\n");
        }

        text.Append("| stage | what | value | limit | ratio | goal |\n");
        text.Append("|---|---|---|---|---|---|\n");
        foreach (var f in figures)
        {
            var ratio = double.IsFinite(f.Ratio) ? f.Ratio.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
            var goal = f.Goal is { } g ? $"{g}: {(f.Met == true ? "met" : "**not met**")}" : "—";
            text.Append($"| {f.Stage} | {Cell(f.What)} | {BenchFigure.Format(f.Value)} {f.Unit} | {BenchFigure.Format(f.Limit)} {f.Unit} | {ratio} | {goal} |\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// <paramref name="document"/> with <paramref name="section"/> (which starts with its heading line) in place of
    /// the section of the same heading under <see cref="RunsHeading"/>, or appended at the end of that part;
    /// the part is added at the end of the document when it has none.
    /// </summary>
    public static string Merge(string document, string section)
    {
        var lines = document.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var sectionLines = section.TrimEnd('\n').Split('\n');
        var heading = sectionLines[0];
        var runs = lines.FindIndex(l => l == RunsHeading);
        if (runs < 0)
        {
            if (lines.Count > 0)
            {
                lines.Add(string.Empty);
            }

            lines.AddRange([RunsHeading, string.Empty, Intro, string.Empty]);
            lines.AddRange(sectionLines);
            return string.Join('\n', lines) + "\n";
        }

        // The part ends at the next level-2 heading; a section ends at the next heading of level 2 or 3.
        var partEnd = lines.FindIndex(runs + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        partEnd = partEnd < 0 ? lines.Count : partEnd;
        var start = lines.FindIndex(runs + 1, partEnd - runs - 1, l => l == heading);
        int end;
        if (start >= 0)
        {
            end = lines.FindIndex(start + 1, partEnd - start - 1, l => l.StartsWith("### ", StringComparison.Ordinal));
            end = end < 0 ? partEnd : end;
        }
        else
        {
            (start, end) = (partEnd, partEnd);
        }

        // Blank lines between what is kept and the section are redone: one before, one after.
        var before = lines.Take(start).ToList();
        while (before.Count > 0 && before[^1].Length == 0)
        {
            before.RemoveAt(before.Count - 1);
        }

        var after = lines.Skip(end).SkipWhile(l => l.Length == 0).ToList();
        var merged = new List<string>(before) { string.Empty };
        merged.AddRange(sectionLines);
        if (after.Count > 0)
        {
            merged.Add(string.Empty);
            merged.AddRange(after);
        }

        return string.Join('\n', merged) + "\n";
    }

    /// <summary>A table cell: a pipe inside it would end the cell early.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
