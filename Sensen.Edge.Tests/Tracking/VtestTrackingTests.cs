using System.Globalization;
using Sensen.Edge.Configuration;
using Sensen.Edge.Rules;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Tracking;

/// <summary>
/// OpenCV's <c>vtest.avi</c> (real pedestrians on a campus path, 768×576, 10 fps) through the live path: the real
/// frame source, CenterNet and the tracker. Over the first 8 s, people crossing a vertical counting line at x = 600
/// (rows 120–440) are counted from the tracks' bottom centres and compared with a hand count. Measured: the four
/// crossings at 0.7, 3.9, 4.3 and 7.2 s, by four tracks; 8 tracks started.
/// </summary>
public sealed class VtestTrackingTests
{
    /// <summary>
    /// Counted by hand on frames extracted with ffmpeg at 2 fps, cropped to x 428–768 with the line drawn
    /// (<c>ffmpeg -i vtest.avi -t 12 -vf "fps=2,drawbox=x=600:y=120:w=2:h=320:color=red:t=fill,crop=340:340:428:100,tile=6x4"</c>):
    /// a man in a dark coat crosses right to left at about 0.5 s; a couple (red jacket, blonde woman) enter from
    /// the right at 1.5 s and cross right to left at about 3.5–4.5 s; a man in a dark jacket and jeans enters
    /// from the right at 4 s and crosses right to left at about 6.8 s (he turns back and recrosses at about 9.8 s,
    /// after the window). Nobody crosses left to right before 8 s. Four crossings, one each, all one way.
    /// </summary>
    private const int HandCount = 4;

    private static readonly LineOptions Line = new() { Id = "count", From = new NormalizedPoint(600 / 768.0, 120 / 576.0), To = new NormalizedPoint(600 / 768.0, 440 / 576.0) };

    [Test]
    [CancelAfter(240_000)]
    public async Task LivePath_VtestFirstEightSeconds_CrossingsMatchTheHandCount(CancellationToken cancellationToken)
    {
        using var run = RunnableConfig.FromExample();
        var path = Path.Combine(run.Directory, "vtest.yaml");
        await File.WriteAllTextAsync(path, $"""
            device:
              id: vtest-unit
              state_directory: {run.StateDirectory}
            cameras:
              - id: path-cam
                url: file://{Path.Combine(RepoPaths.OpenCvSamples, "vtest.avi")}
                hwaccel: none
                analysis: {"{"}fps: 10, width: 768, height: 576{"}"}
                tracking: {"{"}high_score: 0.4, new_track_score: 0.45{"}"}
            inference:
              models_directory: {RepoPaths.Models}
            detectors:
              - {"{"}id: objects, model: centernet, confidence: 0.3{"}"}
            uplink:
              enabled: false
            """, cancellationToken);
        var loaded = ConfigLoader.Load(path);
        Assert.That(loaded.Errors, Is.Empty);

        var replay = await LivePathReplay.RunAsync(loaded.Config!, "path-cam", cancellationToken, maxFrames: 80);

        // Crossings of the counting line by each track's bottom centre between consecutive frames it was seen in.
        var last = new Dictionary<long, NormalizedPoint>();
        var crossings = new List<(long Track, int Frame, LineDirection Direction)>();
        for (var i = 0; i < replay.Tracks.Count; i++)
        {
            foreach (var (id, box, _) in replay.Tracks[i])
            {
                var p = new NormalizedPoint((box.X1 + box.X2) / 2 / 768.0, box.Y2 / 576.0);
                if (last.TryGetValue(id, out var before) && LineCrossing.TryCross(Line, before, p, out _, out var direction))
                {
                    crossings.Add((id, i, direction));
                }

                last[id] = p;
            }
        }

        var c = CultureInfo.InvariantCulture;
        TestContext.Out.WriteLine(string.Create(c, $"{replay.Frames} frames in {replay.Elapsed.TotalSeconds:0.0} s; {replay.Camera.Describe()}"));
        TestContext.Out.WriteLine("crossings: " + string.Join("; ", crossings.Select(x => string.Create(c, $"track {x.Track} at {x.Frame / 10.0:0.0} s {x.Direction}"))));
        Assert.Multiple(() =>
        {
            Assert.That(replay.Frames, Is.EqualTo(80));
            Assert.That(crossings, Has.Count.EqualTo(HandCount), "crossings against the hand count");
            Assert.That(crossings.Select(x => x.Track).Distinct().Count(), Is.EqualTo(crossings.Count), "each person crosses once, under one track id");
            // The line is drawn downwards, so right to left is its forward direction (docs/RULES.md, Geometry).
            Assert.That(crossings.Select(x => x.Direction), Is.All.EqualTo(LineDirection.Forward), "all right to left");
        });
    }
}
