using System.Diagnostics;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Rules;
using Sensen.Edge.Tests.Demo;
using Sensen.Edge.Tests.Detection;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Tracking;

/// <summary>
/// One camera's live path on a real clip, frame by frame and in order: the real ingest's ffmpeg frame source
/// decodes, the camera's real detector cascade (ONNX Runtime sessions, CPU) detects, and the camera's tracker
/// and rules (<see cref="CameraTracking"/>, as the tracking stage runs them) track and judge. No frame is
/// dropped, so a run is reproducible; the daemon's stages add only the channels between these steps.
/// </summary>
internal sealed class LivePathReplay
{
    private LivePathReplay(CameraTracking camera)
    {
        Camera = camera;
    }

    public CameraTracking Camera { get; }

    public List<ViolationEvent> Events { get; } = [];

    /// <summary>Per frame, the tracks the rules saw (confirmed and coasting): id and box.</summary>
    public List<(long Id, BoxF Box, bool Observed)[]> Tracks { get; } = [];

    public int Frames { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Runs camera <paramref name="cameraId"/> of a loaded configuration over its <c>file://</c> clip.</summary>
    /// <param name="include">Which of the camera's detectors run (all when null).</param>
    /// <param name="maxFrames">Stops after this many frames.</param>
    public static async Task<LivePathReplay> RunAsync(LoadedConfig config, string cameraId, CancellationToken cancellationToken, Func<DetectorOptions, bool>? include = null, int maxFrames = int.MaxValue)
    {
        var options = config.Options;
        var mine = options.Detectors.Where(d => (d.Cameras.Count == 0 || d.Cameras.Contains(cameraId)) && (include?.Invoke(d) ?? true)).ToList();
        var section = options.Cameras.Single(c => c.Id == cameraId);
        var analysis = section.Ingest.Analysis;
        using var detectors = DetectorSet.Create(mine, config.ModelsDirectory, TestModels.CpuFactory());
        var cascade = detectors.CascadeFor(cameraId, mine);
        var rules = new CameraRules(cameraId, section.Rules, TimeZoneInfo.FindSystemTimeZoneById(options.Device.TimeZone), new SignalFeeds());
        var replay = new LivePathReplay(new CameraTracking(cameraId, rules, section.Tracking.ToTrackerOptions()));
        var found = new List<DetectedObject>();
        var clock = Stopwatch.StartNew();
        replay.Frames = await TestScenes.DecodeAsync(new Uri(section.Ingest.Url).LocalPath, analysis.Width, analysis.Height, (i, frame) =>
        {
            var analysed = cascade.Run(frame, found);
            rules.Observe(frame);
            var events = replay.Camera.Process(new FrameTime(frame.Pts, frame.CaptureTime), frame.Width, frame.Height, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(found), analysed);
            replay.Events.AddRange(events);
            replay.Tracks.Add([.. replay.Camera.Tracker.Confirmed.Select(t => (t.Id, t.Box, t.Observed))]);
            return Task.CompletedTask;
        }, cancellationToken, analysis.Fps, maxFrames);
        replay.Elapsed = clock.Elapsed;
        return replay;
    }
}
