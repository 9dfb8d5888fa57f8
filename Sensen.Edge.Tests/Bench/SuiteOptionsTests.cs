using Sensen.Edge.Bench;

namespace Sensen.Edge.Tests.Bench;

public sealed class SuiteOptionsTests
{
    [Test]
    public void Parse_Nothing_EveryStageFullMode()
    {
        var options = SuiteOptions.Parse([], out var error);

        Assert.That(error, Is.Null);
        Assert.That(options.Only, Is.EqualTo(SuiteOptions.Stages));
        Assert.That(options.Mode, Is.EqualTo("full"));
        Assert.That(options.Command, Is.EqualTo("Sensen.Edge.Bench suite"));
    }

    [Test]
    public void Parse_Only_KeepsTheSuiteOrderAndSaysSoInTheMode()
    {
        var options = SuiteOptions.Parse(["--quick", "--only", "uplink, tracking", "--only", "ingest"], out var error);

        Assert.That(error, Is.Null);
        Assert.That(options.Only, Is.EqualTo(new[] { "ingest", "tracking", "uplink" }));
        Assert.That(options.Mode, Is.EqualTo("quick, only ingest,tracking,uplink"));
    }

    [Test]
    public void Parse_UnknownStage_NamesItAndTheKnownOnes()
    {
        SuiteOptions.Parse(["--only", "tracking,gpu"], out var error);

        Assert.That(error, Is.EqualTo("unknown stage 'gpu' (known: ingest, detection, cascade, privacy, tracking, uplink, vault, capacity)"));
    }

    [TestCase(new[] { "--only" }, "--only needs a value")]
    [TestCase(new[] { "--only", "--quick" }, "--only needs a value")]
    [TestCase(new[] { "--only", "," }, "--only needs at least one stage")]
    [TestCase(new[] { "--fps", "0" }, "--fps: '0' is not a frame rate between 0 and 60")]
    [TestCase(new[] { "--rounds", "3" }, "unknown argument '--rounds'")]
    public void Parse_BadArguments_OneClearError(string[] args, string expected)
    {
        SuiteOptions.Parse(args, out var error);

        Assert.That(error, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_As_IsTheCommandTheSectionQuotes()
    {
        var options = SuiteOptions.Parse(["--quick", "--as", "out/sensen-edge bench", "--fps", "10,2.5", "--out", "b.md"], out var error);

        Assert.That(error, Is.Null);
        Assert.That(options.Command, Is.EqualTo("out/sensen-edge bench --quick --fps 10,2.5 --out b.md"));
        Assert.That(options.Fps, Is.EqualTo(new[] { 10, 2.5 }));
        Assert.That(options.Out, Is.EqualTo("b.md"));
    }
}
