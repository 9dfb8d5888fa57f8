using System.Globalization;

namespace Sensen.Edge.Bench;

/// <summary>
/// The suite's command line: <c>suite [--quick] [--out FILE] [--only STAGE,...] [--fps F,...] [--as COMMAND]</c>.
/// <c>--as</c> is how <c>sensen-edge bench</c> says what it was called as, so the section quotes the command
/// the user typed, not the bench executable's.
/// </summary>
internal sealed record SuiteOptions
{
    /// <summary>Every stage the suite knows, in the order it runs them (the capacity search last: it is the longest).</summary>
    public static readonly IReadOnlyList<string> Stages = ["ingest", "detection", "cascade", "privacy", "tracking", "uplink", "vault", "capacity"];

    public bool Quick { get; init; }

    /// <summary>The file the section goes into; null: docs/BENCHMARKS.md.</summary>
    public string? Out { get; init; }

    /// <summary>The stages to run, in <see cref="Stages"/> order; all of them unless <c>--only</c> names some.</summary>
    public IReadOnlyList<string> Only { get; init; } = Stages;

    /// <summary>Whether <c>--only</c> was given (the section's mode says so).</summary>
    public bool Partial { get; init; }

    /// <summary>Analysed frame rates the capacity search tries, each with its own camera count.</summary>
    public IReadOnlyList<double> Fps { get; init; } = [10, 5, 2];

    /// <summary>The command as the user typed it, for the section (<c>--as</c> plus the other arguments).</summary>
    public string Command { get; init; } = "Sensen.Edge.Bench suite";

    /// <summary><c>quick</c> or <c>full</c>, and the stages when <c>--only</c> chose them.</summary>
    public string Mode => (Quick ? "quick" : "full") + (Partial ? ", only " + string.Join(",", Only) : string.Empty);

    public static SuiteOptions Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var options = new SuiteOptions();
        var only = new List<string>();
        var shown = new List<string>();
        string invokedAs = options.Command;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new FormatException($"{arg} needs a value");
                }

                return args[++i];
            }

            try
            {
                switch (arg)
                {
                    case "--quick":
                        options = options with { Quick = true };
                        shown.Add(arg);
                        break;
                    case "--out":
                        options = options with { Out = Value() };
                        shown.AddRange([arg, args[i]]);
                        break;
                    case "--only":
                        only.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                        shown.AddRange([arg, args[i]]);
                        break;
                    case "--fps":
                        options = options with { Fps = ParseFps(Value()) };
                        shown.AddRange([arg, args[i]]);
                        break;
                    case "--as":
                        invokedAs = Value();
                        break;
                    default:
                        throw new FormatException($"unknown argument '{arg}'");
                }
            }
            catch (FormatException e)
            {
                error = e.Message;
                return options;
            }
        }

        if (args.Contains("--only") && only.Count == 0)
        {
            error = "--only needs at least one stage";
            return options;
        }

        var unknown = only.Where(s => !Stages.Contains(s, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            error = $"unknown stage{(unknown.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unknown.Select(s => $"'{s}'"))} (known: {string.Join(", ", Stages)})";
            return options;
        }

        return options with
        {
            Only = only.Count == 0 ? Stages : Stages.Where(only.Contains).ToList(),
            Partial = only.Count > 0,
            Command = string.Join(' ', shown.Prepend(invokedAs)),
        };
    }

    private static List<double> ParseFps(string text)
    {
        var fps = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || !(f > 0) || f > 60)
            {
                throw new FormatException($"--fps: '{part}' is not a frame rate between 0 and 60");
            }

            fps.Add(f);
        }

        return fps.Count > 0 ? fps : throw new FormatException("--fps needs at least one frame rate");
    }
}
