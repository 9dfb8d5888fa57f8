using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Sensen.Edge.Demo;
using Sensen.Edge.Demo.Report;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Vault;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Sensen.Edge.Tests.Demo;

/// <summary>
/// The demo's report from a real sealed manifest and a real H.264 clip laid out as the receiver lays them out,
/// opened in headless Chromium: it renders, every still loads, the offender's box is drawn where the manifest
/// says, and a missing still is caught (so the check can fail).
/// </summary>
[NonParallelizable]
internal sealed partial class DemoReportTests
{
    private static readonly ManifestBox FirstBox = new(40, 60, 120, 140);

    private DirectoryInfo _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("sensen-edge-report-");

    [TearDown]
    public void TearDown() => _root.Delete(recursive: true);

    [Test]
    [CancelAfter(120_000)]
    public async Task WriteAsync_ReceivedEvidence_RendersInChromiumWithEveryStillAndTheOffendersBox(CancellationToken cancellationToken)
    {
        var (input, evidenceId) = await ReceivedAsync(cancellationToken);

        var html = await DemoReport.WriteAsync(input, Path.Combine(_root.FullName, "report"), cancellationToken);

        var dom = await HeadlessChromium.DumpDomAsync(html, cancellationToken);
        var (loaded, total) = ImageCounts(dom);
        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(4), "first seen, violation begins, violation decided, last seen");
            Assert.That(loaded, Is.EqualTo(total));
            Assert.That(dom, Does.Contain(evidenceId).And.Contain("BX4821").And.Contain("bus-lane-peak"));
            Assert.That(dom, Does.Contain("&lt;script&gt;"), "summary values are encoded, never markup");
            Assert.That(dom, Does.Contain("<svg").And.Contain("polyline"), "the per-frame chart");
            Assert.That(dom, Does.Contain("\"camera\""), "the telemetry snapshot");
            Assert.That(dom, Does.Contain("offender car #7 first seen").And.Contain("offender car #7 last seen"), "the stills follow the offender of the item's own rule");
        });

        // The first still is the frame the offender was first seen on, with its box drawn in red there (scaled 2×).
        // Both points lie in testsrc2's green bar: the box's top edge turns red, the box's inside stays green.
        using var first = Image.Load<Rgb24>(Path.Combine(_root.FullName, "report", "images", "e1-1.png"));
        Assert.That(first.Width, Is.EqualTo(640));
        var centreX = FirstBox.X1 + FirstBox.X2;
        var edge = first[centreX, (FirstBox.Y1 * 2) + 3];
        var inside = first[centreX, FirstBox.Y1 + FirstBox.Y2];
        Assert.That(edge.R > 180 && edge.G < 80 && edge.B < 80, Is.True, $"box edge {edge}");
        Assert.That(inside.G > 180 && inside.R < 80, Is.True, $"inside the box {inside}: the box is an outline, not a fill");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task WriteAsync_StillMissing_ThePageSaysSoAndTheCountFallsShort(CancellationToken cancellationToken)
    {
        var (input, _) = await ReceivedAsync(cancellationToken);
        var html = await DemoReport.WriteAsync(input, Path.Combine(_root.FullName, "report"), cancellationToken);
        File.Delete(Path.Combine(_root.FullName, "report", "images", "e1-2.png"));

        var dom = await HeadlessChromium.DumpDomAsync(html, cancellationToken);

        Assert.That(ImageCounts(dom), Is.EqualTo((3, 4)));
        Assert.That(dom, Does.Contain("image missing: images/e1-2.png"));
    }

    private async Task<(DemoReportInput Input, string EvidenceId)> ReceivedAsync(CancellationToken cancellationToken)
    {
        var clip = await TestClips.ShortMp4Async(cancellationToken);   // 320×240, 15 fps, 3 s: 45 frames
        using var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var at = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        var metadata = VaultTestEnvironment.Metadata(at) with
        {
            ClipStart = at.AddSeconds(-2),
            ClipEnd = at.AddSeconds(1),
            EventStart = at.AddSeconds(-1.5),
            EventEnd = at,
            // A merged clip: the item's own rule (bus-lane-peak, track 7) and a later event of another offender,
            // listed first among the offenders; the stills must follow the item's rule's offender.
            Events =
            [
                new ManifestEvent { RuleId = "bus-lane-peak", RuleType = "bus_lane", TrackId = 7, Class = "car", WindowStart = SealingFormat.Timestamp(at.AddSeconds(-1.5)), WindowEnd = SealingFormat.Timestamp(at), ConfidencePermille = 870, DwellMilliseconds = 1500 },
                new ManifestEvent { RuleId = "kerb-no-stopping", RuleType = "no_stopping", TrackId = 3, Class = "car", WindowStart = SealingFormat.Timestamp(at.AddSeconds(-1)), WindowEnd = SealingFormat.Timestamp(at.AddSeconds(0.5)), ConfidencePermille = 800, DwellMilliseconds = 1500 },
            ],
            Offenders =
            [
                new ManifestOffender { TrackId = 3, Class = "car", Frames = 30, FirstSeen = SealingFormat.Timestamp(at.AddSeconds(-1.2)), LastSeen = SealingFormat.Timestamp(at.AddSeconds(0.6)), FirstBox = new ManifestBox(200, 150, 300, 230), LastBox = new ManifestBox(200, 150, 300, 230) },
                new ManifestOffender { TrackId = 7, Class = "car", Frames = 40, FirstSeen = SealingFormat.Timestamp(at.AddSeconds(-1.9)), LastSeen = SealingFormat.Timestamp(at.AddSeconds(0.9)), FirstBox = FirstBox, LastBox = new ManifestBox(150, 70, 250, 160) },
            ],
            Plate = new ManifestPlate { TrackId = 7, Text = "BX4821", ConfidencePermille = 930, FrameSequence = 1234 },
            Video = new ManifestVideo { Encoder = "libx264", Width = 320, Height = 240, Frames = 45, FrameRateMillihertz = 15_000 },
        };
        var id = Guid.CreateVersion7();
        await using var clipStream = File.OpenRead(clip);
        var sealedEvidence = await new EvidenceSealer(city, device, "demo-unit").SealAsync(id, metadata, at.AddSeconds(2), clipStream, cancellationToken);

        var item = Path.Combine(_root.FullName, "received", "evidence", "demo-unit", id.ToString("D"));
        Directory.CreateDirectory(item);
        File.Copy(clip, Path.Combine(item, "clip.mp4"));
        await File.WriteAllBytesAsync(Path.Combine(item, "manifest.json"), sealedEvidence.ManifestJson.ToArray(), cancellationToken);

        var input = new DemoReportInput
        {
            ReceiverOutputDirectory = Path.Combine(_root.FullName, "received"),
            Summary = [new("clips delivered", "1"), new("note", "<script>alert(1)</script>")],
            TelemetrySnapshotJson = """{"device":"demo-unit","cameras":[{"camera":"street-cam","fps_analysed":10}]}""",
            Frames = [.. Enumerable.Range(0, 45).Select(i => new DemoFrameStat("street-cam", i, i / 15.0, 3, i is > 10 and < 30 ? 1 : 0, i is > 12 and < 28 ? 2 : 0, i > 5, i == 44))],
            Expected = [new ExpectedViolation("bus-lane-peak", "bus_lane", "car-1", 1.0, 2.5), new ExpectedViolation("no-stopping-kerb", "no_stopping", "car-2", 3.0, 8.0)],
        };
        return (input, id.ToString("D"));
    }

    private static (int Loaded, int Total) ImageCounts(string dom)
    {
        var match = CountsPattern().Match(dom);
        Assert.That(match.Success, Is.True, "the page's script ran and counted its images");
        return (int.Parse(match.Groups["loaded"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("data-images-total=\"(?<total>\\d+)\" data-images-loaded=\"(?<loaded>\\d+)\"")]
    private static partial Regex CountsPattern();
}
