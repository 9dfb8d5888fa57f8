using Sensen.Edge.Bench;

namespace Sensen.Edge.Tests.Bench;

public sealed class BenchSectionTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 3, 9, 15, 0, TimeSpan.Zero);

    private static readonly BenchMachine Machine = new(Day, 2, "AMD EPYC", "4.15 1.82 0.75", "5.00 2.00 1.00", "d78edf5abcde", TimeSpan.FromSeconds(272));

    [Test]
    public void Render_EveryFigure_ARowWithValueLimitRatioGoal()
    {
        var section = BenchSection.Render(
            BenchSection.Heading(Day, "quick"),
            "out/sensen-edge bench --quick",
            Machine,
            ["**Headline: 1 camera**"],
            [
                new BenchFigure("privacy", "fill vs the 2 ms goal", 0.365, 2, "ms", BenchGoal.Maximum(1)),
                new BenchFigure("ingest", "720p vs `ffmpeg | cat`", 249, 342, "fps", BenchGoal.Minimum(0.95)),
                new BenchFigure("cascade", "cascade vs centernet alone", 190, 135.7, "ms"),
            ]);

        var lines = section.Split('\n');
        Assert.That(lines[0], Is.EqualTo("### 2026-12-03 quick"));
        Assert.That(lines, Does.Contain("    out/sensen-edge bench --quick"), "the command that made the figures, as a code block");
        Assert.That(lines, Does.Contain("Machine: 2026-12-03 09:15 UTC, 2 cores (AMD EPYC), load average 4.15 1.82 0.75 at the start and 5.00 2.00 1.00 at the end, commit d78edf5abcde, 4 min 32 s."));
        Assert.That(lines, Does.Contain("**Headline: 1 camera**"));
        Assert.That(lines, Does.Contain("| stage | what | value | limit | ratio | goal |"));
        Assert.That(lines, Does.Contain("| privacy | fill vs the 2 ms goal | 0.365 ms | 2 ms | 0.18 | ≤ 1: met |"));
        Assert.That(lines, Does.Contain("| ingest | 720p vs `ffmpeg \\| cat` | 249 fps | 342 fps | 0.73 | ≥ 0.95: **not met** |"));
        Assert.That(lines, Does.Contain("| cascade | cascade vs centernet alone | 190 ms | 136 ms | 1.40 | — |"));
    }

    [Test]
    public void Merge_NoRunsYet_AppendsThePartAndKeepsTheDocument()
    {
        var merged = BenchSection.Merge("# Benchmarks\n\n## Vault\n\ntext\n", Section("quick", "A"));

        Assert.That(merged, Does.StartWith("# Benchmarks\n\n## Vault\n\ntext\n\n## bench runs\n\n"));
        Assert.That(merged, Does.EndWith("### 2026-12-03 quick\n\nA\n"));
    }

    [Test]
    public void Merge_SameDateAndMode_ReplacesOnlyThatSection()
    {
        var document = "# Benchmarks\n\n## bench runs\n\nintro\n\n### 2026-12-02 quick\n\nold day\n\n### 2026-12-03 quick\n\nold\n| a |\n\n### 2026-12-03 full\n\nfull run\n\n## Later part\n\nkept\n";

        var merged = BenchSection.Merge(document, Section("quick", "new"));

        Assert.That(merged, Is.EqualTo("# Benchmarks\n\n## bench runs\n\nintro\n\n### 2026-12-02 quick\n\nold day\n\n### 2026-12-03 quick\n\nnew\n\n### 2026-12-03 full\n\nfull run\n\n## Later part\n\nkept\n"));
    }

    [Test]
    public void Merge_NewDateOrMode_AppendedAtTheEndOfThePart()
    {
        var document = "## bench runs\n\nintro\n\n### 2026-12-03 full\n\nfull run\n\n## Later part\n\nkept\n";

        var merged = BenchSection.Merge(document, Section("quick, only tracking", "partial"));

        Assert.That(merged, Is.EqualTo("## bench runs\n\nintro\n\n### 2026-12-03 full\n\nfull run\n\n### 2026-12-03 quick, only tracking\n\npartial\n\n## Later part\n\nkept\n"));
    }

    [Test]
    public void Merge_Twice_SameDocumentAsOnce()
    {
        var once = BenchSection.Merge("# Benchmarks\n", Section("quick", "A"));

        Assert.That(BenchSection.Merge(once, Section("quick", "A")), Is.EqualTo(once));
    }

    private static string Section(string mode, string body) => $"{BenchSection.Heading(Day, mode)}\n\n{body}\n";
}
