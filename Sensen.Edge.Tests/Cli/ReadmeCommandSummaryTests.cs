using System.Text.RegularExpressions;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Cli;

/// <summary>The README's command summary lists every option that the README's own examples use.</summary>
public sealed partial class ReadmeCommandSummaryTests
{
    [Test]
    public void Readme_EveryOptionInAnExample_IsInTheSummaryOfItsVerb()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        var summary = Summary(lines);
        var missing = new List<string>();
        foreach (var example in lines.SelectMany(l => ExamplePattern().Matches(l)))
        {
            var verb = example.Groups[1].Value;
            foreach (Match option in OptionPattern().Matches(example.Groups[2].Value))
            {
                if (!summary.TryGetValue(verb, out var listed) || !listed.Contains(option.Value))
                {
                    missing.Add($"{verb} {option.Value}");
                }
            }
        }

        Assert.That(summary.Keys, Is.SupersetOf(new[] { "run", "check-config", "probe", "detect", "models", "queue", "keys" }));
        Assert.That(missing, Is.Empty, "README.md uses these in examples but its command summary does not list them");
    }

    /// <summary>Options each verb's summary lines (under "## Command line") list, continuation lines included.</summary>
    private static Dictionary<string, HashSet<string>> Summary(string[] lines)
    {
        var summary = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var start = Array.IndexOf(lines, "## Command line");
        string? verb = null;
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("For example", StringComparison.Ordinal); i++)
        {
            if (SummaryPattern().Match(lines[i]) is { Success: true } m)
            {
                verb = m.Groups[1].Value;
            }

            if (verb is not null)
            {
                var options = summary.TryGetValue(verb, out var known) ? known : summary[verb] = [];
                options.UnionWith(OptionPattern().Matches(lines[i].Split('#')[0]).Select(o => o.Value));
            }
        }

        return summary;
    }

    // An invocation in a code block or in `backticks`: out/sensen-edge, /usr/lib/sensen-edge/sensen-edge, sensen-edge.
    [GeneratedRegex(@"(?:^|\s|`)(?:out/|/usr/lib/sensen-edge/)?sensen-edge ([a-z][a-z-]+)([^`#]*)")]
    private static partial Regex ExamplePattern();

    [GeneratedRegex(@"^    sensen-edge ([a-z][a-z-]+)")]
    private static partial Regex SummaryPattern();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex OptionPattern();
}
