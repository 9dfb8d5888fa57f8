using System.Globalization;
using System.Text.RegularExpressions;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>The whole daemon, end to end: a replayed clip through real ffmpeg into the real face and text models.</summary>
public sealed partial class DetectionStageTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task Run_ReplayedClipWithFaces_AnalysesFramesAndFindsTheFaces(CancellationToken cancellationToken)
    {
        var clip = await TestClips.FacesMp4Async(cancellationToken);
        using var config = RunnableConfig.FromExample(yaml => RunnableConfig.SetScalar(yaml, "url", "file://" + clip).Replace("    transport: tcp", "    loop: true", StringComparison.Ordinal));
        config.WriteCredential("cam-north", "user:password");

        var (exitCode, stdout, stderr) = await DaemonProcess.RunAsync(["run", "--config", config.ConfigPath, "--stop-after", "8"], cancellationToken);

        Assert.That(exitCode, Is.Zero, stderr);
        var line = stdout.Split('\n').SingleOrDefault(l => l.StartsWith("detect cam-north:", StringComparison.Ordinal));
        Assert.That(line, Is.Not.Null, stdout);
        var analysed = int.Parse(Analysed().Match(line!).Groups[1].Value, CultureInfo.InvariantCulture);
        var faces = Faces().Match(line!) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        Assert.That(analysed, Is.GreaterThan(0), line);
        // sample1.jpg shows three people; allow a miss on the odd frame, not on most of them.
        Assert.That(faces, Is.GreaterThanOrEqualTo(2 * analysed), line);
        Assert.That(line, Does.Contain(" 0 not analysed"));

        // Stopped with frames on every edge (the clip loops): each one was released, exactly once.
        Assert.That(stdout, Does.Match(@"pipeline: 0 of \d+ frame buffers and 0 detection lists in use"), stdout);
        Assert.That(stdout, Does.Contain("end cam-north: "), "analysed frames flow on past detection");
    }

    [GeneratedRegex(@"(\d+) frames analysed")]
    private static partial Regex Analysed();

    [GeneratedRegex(@"face (\d+)")]
    private static partial Regex Faces();
}
