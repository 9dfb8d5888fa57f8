using System.CommandLine;
using System.Diagnostics;

namespace Sensen.Edge.Cli;

/// <summary>
/// <c>sensen-edge bench [--quick] [--out FILE] [--only STAGES] [--fps F,...]</c>: runs the benchmark suite, which
/// lives in its own executable (<c>out/bench/Sensen.Edge.Bench</c>, published by <c>./build.sh bench</c>) so the
/// daemon ships without it and without a reference to it. This verb only finds it beside the daemon and hands
/// over the arguments; the suite's output and exit code are its own.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Where the bench executable lives, relative to the daemon's own directory.</summary>
    public static readonly string RelativePath = Path.Combine("bench", "Sensen.Edge.Bench");

    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Fewer rounds, frames and seconds: the whole suite in about five minutes on two cores." };
        var output = new Option<string?>("--out") { Description = "Write the dated section into this file instead of docs/BENCHMARKS.md." };
        var only = new Option<string?>("--only") { Description = "Only these stages, comma-separated: ingest, detection, cascade, privacy, tracking, uplink, vault, capacity." };
        var fps = new Option<string?>("--fps") { Description = "Analysed frame rates the capacity search tries, comma-separated (default 10,5,2)." };
        var command = new Command("bench", "Run the benchmark suite: every stage as a ratio to its limit, measured side by side, written into docs/BENCHMARKS.md.") { quick, output, only, fps };
        command.SetAction((result, cancellationToken) =>
        {
            var arguments = new List<string>();
            if (result.GetValue(quick))
            {
                arguments.Add("--quick");
            }

            foreach (var (option, value) in new[] { ("--out", result.GetValue(output)), ("--only", result.GetValue(only)), ("--fps", result.GetValue(fps)) })
            {
                if (value is not null)
                {
                    arguments.AddRange([option, value]);
                }
            }

            return ExecuteAsync(AppContext.BaseDirectory, arguments, InvokedAs(), Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Runs <c>BASE/bench/Sensen.Edge.Bench suite ARGS --as INVOKED</c> with this process's terminal and returns its
    /// exit code; 70 (EX_SOFTWARE) with one line naming <c>./build.sh bench</c> when it is not there.
    /// </summary>
    internal static async Task<int> ExecuteAsync(string baseDirectory, IReadOnlyList<string> arguments, string invokedAs, TextWriter stderr, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(baseDirectory, RelativePath);
        if (!File.Exists(executable))
        {
            await stderr.WriteLineAsync($"sensen-edge bench: the benchmark suite is not built ({executable} is missing); build it with ./build.sh bench");
            return ExitCodes.Software;
        }

        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        start.ArgumentList.Add("suite");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--as");
        start.ArgumentList.Add(invokedAs);
        using var process = Process.Start(start)!;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the suite and the daemons and ffmpegs it started go with us.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return ExitCodes.Failure;
        }

        return process.ExitCode;
    }

    /// <summary>How the user called us, for the section's command line: <c>out/sensen-edge bench</c> from the repository.</summary>
    private static string InvokedAs()
    {
        var path = Environment.ProcessPath ?? "sensen-edge";
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? path : relative) + " bench";
    }
}
