using System.Diagnostics;
using System.Globalization;
using Sensen.Edge.Detection;
using Sensen.Edge.Privacy;

namespace Sensen.Edge.Bench;

/// <summary>
/// Every stage benchmark in one run (<c>sensen-edge bench</c> runs this): each prints its figures as ratios to
/// their limits as it goes, and the run ends with a dated section of every figure written into
/// docs/BENCHMARKS.md (or <c>--out</c>), with the machine and the command that made it. <c>--quick</c> takes
/// fewer rounds, frames and seconds so that the whole suite fits in about five minutes on two cores.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class SuiteBenchmark : IBenchmark
{
    /// <summary>The shipped detectors, each against its bare <c>session.Run</c>.</summary>
    private static readonly string[] DetectionModels = ["face-tiny", "centernet", "blazeface", "ppocr-v4-det"];

    public string Name => "suite";

    public string Description => "every stage as value / limit / ratio, written as a dated section into docs/BENCHMARKS.md [--quick] [--out FILE] [--only " + string.Join(",", SuiteOptions.Stages) + "] [--fps 10,5,2]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = SuiteOptions.Parse(args, out var error);
        if (error is not null)
        {
            await Console.Error.WriteLineAsync($"bench suite: {error}");
            return 64;
        }

        var root = BenchPaths.Root();
        var output = options.Out ?? Path.Combine(root, "docs", "BENCHMARKS.md");
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = LoadAverage();

        // Read before the run: what was built and measured, not what the tree became while it ran.
        var commit = Commit(root);
        var figures = new List<BenchFigure>();
        var notes = new List<string>();
        var failed = new List<string>();
        Console.WriteLine($"bench suite ({options.Mode}): {string.Join(", ", options.Only)}; {Environment.ProcessorCount} cores, load average {loadAtStart}");
        foreach (var stage in options.Only)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Console.WriteLine($"== {stage}");
            var stageClock = Stopwatch.StartNew();
            try
            {
                var (found, said) = await RunStageAsync(stage, options.Quick, options.Fps, cancellationToken);
                foreach (var figure in found)
                {
                    Console.WriteLine(figure);
                }

                figures.AddRange(found);
                notes.AddRange(said);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One stage that cannot run (no mosquitto, no out/sensen-edge) costs its own figures, not the others'.
                failed.Add(stage);
                notes.Add($"`{stage}` failed: {e.Message}");
                await Console.Error.WriteLineAsync($"bench suite: {stage} failed: {e}");
            }

            Console.WriteLine(FormattableString.Invariant($"   ({stageClock.Elapsed.TotalSeconds:0} s)"));
        }

        var machine = new BenchMachine(started, Environment.ProcessorCount, CpuModel(), loadAtStart, LoadAverage(), commit, clock.Elapsed);
        var section = BenchSection.Render(BenchSection.Heading(started, options.Mode), options.Command, machine, notes, figures);
        var existing = File.Exists(output) ? await File.ReadAllTextAsync(output, cancellationToken) : string.Empty;
        await File.WriteAllTextAsync(output, BenchSection.Merge(existing, section), cancellationToken);
        notes.Where(n => n.StartsWith("**Headline", StringComparison.Ordinal)).ToList().ForEach(Console.WriteLine);
        Console.WriteLine($"bench suite: {figures.Count} figures in {clock.Elapsed.TotalMinutes:0.0} min, written to {output}{(failed.Count > 0 ? "; failed: " + string.Join(", ", failed) : string.Empty)}");
        return failed.Count > 0 ? 1 : 0;
    }

    /// <summary>One stage's figures, quick or full: rounds, frames and seconds are the only difference.</summary>
    private static async Task<(IReadOnlyList<BenchFigure> Figures, IReadOnlyList<string> Notes)> RunStageAsync(string stage, bool quick, IReadOnlyList<double> fps, CancellationToken cancellationToken)
    {
        switch (stage)
        {
            case "ingest":
            {
                var figures = new List<BenchFigure>();
                foreach (var (label, width, height) in quick ? IngestBenchmark.Clips.Take(1) : IngestBenchmark.Clips)
                {
                    figures.AddRange(await IngestBenchmark.FiguresAsync(label, width, height, quick ? 3 : 5, quick ? 4 : 12, cancellationToken));
                }

                return (figures, []);
            }

            case "detection":
                return ([.. DetectionModels.Select(m => DetectionBenchmark.Figure(m, 1, quick ? 3 : 7, quick ? 10 : 30, cancellationToken))], []);
            case "cascade":
                return ([CascadeBenchmark.Figure(1, quick ? 3 : 5, quick ? 5 : 15, cancellationToken)], []);
            case "privacy":
            {
                var root = BenchPaths.Root();
                var (photo, width, height) = OperatorImage.Load(Path.Combine(root, ".cache", "npm", "face-api", "demo", "sample1.jpg"));
                var medians = PrivacyBenchmark.Obscuring(photo, width, height, quick ? 3 : 5, cancellationToken);
                return ([.. medians.Select(m => new BenchFigure("privacy", $"obscuring 32 regions on a 1920×1080 frame, `{m.Key.ToString().ToLowerInvariant()}`{(m.Key == new PrivacyOptions().Method ? " (the default)" : string.Empty)}, vs the 2 ms goal", m.Value, 2, "ms", BenchGoal.Maximum(1)))], []);
            }

            case "tracking":
                return (TrackingBenchmark.Figures(50, 2000, quick ? 5 : 7, cancellationToken), []);
            case "uplink":
                return (await UplinkBenchmark.FiguresAsync(quick ? 8 : 32, quick ? 3 : 5, cancellationToken), []);
            case "vault":
                return (await VaultBenchmark.FiguresAsync(quick ? 4 : 16, quick ? 3 : 7, cancellationToken), []);
            case "capacity":
                return await CapacityBenchmark.FiguresAsync(fps, quick ? 15 : 40, quick ? 8 : 16, quick ? 3 : 5, line => Console.WriteLine(line), cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage, "not a suite stage");
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    /// <summary>The commit the figures belong to, with <c>+changes</c> when the tree differs from it.</summary>
    private static string Commit(string root)
    {
        string? Git(params string[] args)
        {
            try
            {
                var start = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
                foreach (var a in args)
                {
                    start.ArgumentList.Add(a);
                }

                using var process = Process.Start(start)!;
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return process.ExitCode == 0 ? output.Trim() : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        var head = Git("rev-parse", "--short=12", "HEAD");
        if (head is null)
        {
            return "unknown";
        }

        var dirty = Git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/BENCHMARKS.md");
        return string.IsNullOrEmpty(dirty) ? head : head + "+changes";
    }
}
