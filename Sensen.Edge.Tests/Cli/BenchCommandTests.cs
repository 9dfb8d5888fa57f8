using Sensen.Edge.Cli;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Cli;

/// <summary><c>sensen-edge bench</c>: finds the suite beside the daemon, or says how to build it.</summary>
public sealed class BenchCommandTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Bench_NoOutBench_Exit70NamingTheBuildStep(CancellationToken cancellationToken)
    {
        // The daemon as the tests copy it has no bench/ beside it.
        var (exitCode, stdout, stderr) = await DaemonProcess.RunAsync(["bench", "--quick"], cancellationToken);

        Assert.That(exitCode, Is.EqualTo(70), stderr);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), "one clear line");
        Assert.That(stderr, Does.Contain("./build.sh bench").And.Contain(Path.Combine("bench", "Sensen.Edge.Bench")));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Bench_QuickOnlyTracking_TheRealSuiteWritesItsSection(CancellationToken cancellationToken)
    {
        // The bench executable as the solution build leaves it, placed where `./build.sh bench` puts it (BASE/bench).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var built = Path.Combine(RepoPaths.Root, "Sensen.Edge.Bench", "bin", configuration, "net10.0");
        Assert.That(File.Exists(Path.Combine(built, "Sensen.Edge.Bench")), Is.True, $"build the solution first: {built} has no Sensen.Edge.Bench");
        var baseDirectory = Directory.CreateTempSubdirectory("sensen-bench-verb-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(baseDirectory, "bench"), built);
            var output = Path.Combine(baseDirectory, "BENCHMARKS.md");
            await File.WriteAllTextAsync(output, "# Benchmarks\n\n## Vault\n\nkept\n", cancellationToken);
            using var stderr = new StringWriter();

            var exitCode = await BenchCommand.ExecuteAsync(baseDirectory, ["--quick", "--only", "tracking", "--out", output], "sensen-edge bench", stderr, cancellationToken);

            var written = await File.ReadAllTextAsync(output, cancellationToken);
            Assert.That(exitCode, Is.Zero, stderr.ToString());
            Assert.That(written, Does.StartWith("# Benchmarks\n\n## Vault\n\nkept\n\n## bench runs\n"));
            Assert.That(written, Does.Contain($"### {DateTimeOffset.UtcNow:yyyy-MM-dd} quick, only tracking\n"));
            Assert.That(written, Does.Contain($"    sensen-edge bench --quick --only tracking --out {output}\n"));
            Assert.That(written, Does.Match(@"\| tracking \| tracker \+ 5 rules per frame at 50 tracks vs the 1 ms target \| [0-9.]+ µs \| 1000 µs \| [0-9.]+ \| ≤ 1: (met|\*\*not met\*\*) \|"));
            Assert.That(written, Does.Not.Contain("| ingest |"), "--only runs only what it names");
        }
        finally
        {
            Directory.Delete(baseDirectory, recursive: true);
        }
    }
}
