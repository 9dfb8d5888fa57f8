using System.Collections.Concurrent;
using Sensen.Edge.Demo;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;
using Sensen.Edge.Tests.Ingest;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Demo;

/// <summary>
/// The composed street scene, made once per test run into a temporary directory and shared by every test
/// that needs it (composer, detection, tracking and rules end to end), and its frames decoded by the real
/// ingest (the ffmpeg frame source the daemon uses).
/// </summary>
internal static class TestScenes
{
    private static readonly ConcurrentDictionary<SceneSpec, Lazy<Task<ComposedScene>>> Made = new();

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), $"sensen-edge-scenes-{Environment.ProcessId}");

    /// <summary>The default scene: 1280×720, 10 fps, 12 s.</summary>
    public static SceneSpec Street { get; } = new() { FaceApiDemo = Path.Combine(RepoPaths.Cache, "npm", "face-api", "demo") };

    public static Task<ComposedScene> ComposeAsync(SceneSpec spec, CancellationToken cancellationToken) =>
        Made.GetOrAdd(spec, s => new Lazy<Task<ComposedScene>>(() =>
            SceneComposer.ComposeAsync(s, Path.Combine(Directory, $"scene-{Made.Count}-{Guid.NewGuid():N}"), CancellationToken.None))).Value.WaitAsync(cancellationToken);

    /// <summary>
    /// Decodes <paramref name="clip"/> through the real ingest's ffmpeg frame source (BGR24, as fast as it
    /// decodes) and hands each frame to <paramref name="onFrame"/> with its index, the first <paramref name="maxFrames"/>
    /// only; the buffer is reused.
    /// </summary>
    public static async Task<int> DecodeAsync(string clip, int width, int height, Func<int, Frame, Task> onFrame, CancellationToken cancellationToken, double? fps = null, int maxFrames = int.MaxValue)
    {
        var request = new FrameSourceRequest
        {
            CameraId = "scene",
            Url = new Uri(clip),
            Replay = ReplayPace.Fast,
            Width = width,
            Height = height,
            Fps = fps,
        };
        var pool = new FramePool(request.FrameBytes, 1);
        await using var source = FfmpegFrameSource.Start(request, IngestHarness.FastTuning, _ => { });
        if (!pool.TryRent(out var frame))
        {
            throw new InvalidOperationException("frame pool exhausted");
        }

        var index = 0;
        var rate = fps ?? Street.Fps;
        try
        {
            while (index < maxFrames && await source.ReadFrameAsync(frame.Buffer.AsMemory(0, request.FrameBytes), cancellationToken))
            {
                var pts = TimeSpan.FromSeconds(index / rate);
                frame.Describe(request.CameraId, width, height, PixelFormat.Bgr24, index, pts, DateTimeOffset.UnixEpoch + pts);
                await onFrame(index, frame);
                index++;
            }
        }
        finally
        {
            frame.Release();
        }

        return index;
    }

    public static void DeleteAll()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
