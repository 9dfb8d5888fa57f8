using Sensen.Edge.Configuration;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Tracking;

/// <summary><c>cameras[i].tracking</c>: each mistake from a file valid but for it, pinned with its position; the keys reach the tracker.</summary>
public sealed class TrackingOptionsValidatorTests
{
    private const string Camera = "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n    tracking:\n";

    [TestCase("      low_score: 0.6\n", "6:18 cameras[0].tracking.low_score: 0.6 must be below high_score (0.5): low-score detections are the ones under it")]
    [TestCase("      new_track_score: 0.4\n", "6:24 cameras[0].tracking.new_track_score: 0.4 must be at least high_score (0.5): a detection too weak to match a track must not start one")]
    [TestCase("      coast_seconds: 2\n", "6:22 cameras[0].tracking.coast_seconds: 2 must not exceed lost_seconds (1.5): a removed track cannot coast")]
    [TestCase("      confirm_hits: 0\n", "6:21 cameras[0].tracking.confirm_hits: 0 is out of range (allowed 1 to 30)")]
    [TestCase("      tentative_buffer: 3\n", "6:25 cameras[0].tracking.tentative_buffer: 3 is out of range (allowed 0 to 2)")]
    [TestCase("      high_scor: 0.4\n", "6:7 cameras[0].tracking.high_scor: unknown key 'high_scor' (did you mean 'high_score'?)")]
    public void Load_OneTrackingMistake_PositionedMessage(string tracking, string expected)
    {
        var errors = Load(Camera + tracking);
        Assert.That(errors.Select(e => e.ToString()), Has.Some.EndsWith(expected), string.Join("\n", errors));
    }

    [Test]
    public void Load_EveryTrackingKey_ReachesTheTracker()
    {
        var path = Write(Camera + "      high_score: 0.4\n      low_score: 0.2\n      new_track_score: 0.45\n      match_iou: 0.3\n      confirm_hits: 3\n"
            + "      tentative_buffer: 0\n      lost_seconds: 2\n      coast_seconds: 1\n      stationary_seconds: 2.5\n");
        try
        {
            var result = ConfigLoader.Load(path);
            Assert.That(result.Errors.Where(e => e.Path.StartsWith("cameras[0].tracking", StringComparison.Ordinal)), Is.Empty, string.Join("\n", result.Errors));
            var options = ConfigLoader.ReadDocument<EdgeOptions>(path).Value!.Cameras[0].Tracking.ToTrackerOptions();
            Assert.That(options, Is.EqualTo(new TrackerOptions
            {
                HighScore = 0.4f,
                LowScore = 0.2f,
                NewTrackScore = 0.45f,
                FirstMatchIou = 0.3f,
                ConfirmHits = 3,
                TentativeBuffer = 0,
                LostTimeout = TimeSpan.FromSeconds(2),
                CoastTimeout = TimeSpan.FromSeconds(1),
                StationaryWindow = TimeSpan.FromSeconds(2.5),
            }));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Test]
    public void ToTrackerOptions_Defaults_AreTheTrackersDefaults() =>
        Assert.That(new TrackingOptions().ToTrackerOptions(), Is.EqualTo(new TrackerOptions()));

    private static string Write(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-tracking-");
        var path = Path.Combine(dir.FullName, "edge.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static List<ConfigError> Load(string yaml)
    {
        var path = Write(yaml);
        try
        {
            return [.. ConfigLoader.Load(path).Errors];
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
