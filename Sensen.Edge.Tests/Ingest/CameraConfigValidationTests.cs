using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>The camera checks that ingest added to the validator, message pinned.</summary>
public sealed class CameraConfigValidationTests
{
    [Test]
    public void Load_RtspsWithUdp_TransportError()
    {
        var errors = Load("device: {id: a}\ncameras:\n  - id: c\n    url: rtsps://127.0.0.1:322/x\n    transport: udp\n");

        Assert.That(errors, Does.Contain("cameras[0].transport: rtsps:// streams travel inside the TLS connection; transport: udp is not possible (use tcp)"));
    }

    [Test]
    public void Load_RtspsWithTcp_NoCameraError() =>
        Assert.That(Load("device: {id: a}\ncameras:\n  - id: c\n    url: rtsps://127.0.0.1:322/x\n"), Has.None.StartsWith("cameras[0]"));

    [Test]
    public void Load_FramesOverTheBudget_PositionedErrorAtTheCamerasAnalysis()
    {
        // 1920x1080 at 25 fps with 10 s of pre-roll: 11 + 250 frames of 6 MiB.
        var yaml = "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n    analysis: {fps: 25, width: 1920, height: 1080}\nrecording:\n  pre_roll_seconds: 10\n";

        Assert.That(Load(yaml, positioned: true), Has.Some.EndsWith(
            "/edge.yaml:5:15 cameras[0].analysis: frame buffers need 1549 MiB (261 frames of 1920x1080 bgr24 (11 in flight + 250 pre-roll)), more than recording.frame_memory_megabytes_per_camera allows (512); lower the analysis width, height or fps, or recording.pre_roll_seconds, or raise the budget"));
    }

    [Test]
    public void Load_FramesWithinARaisedBudget_NoError() =>
        Assert.That(
            Load("device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n    analysis: {fps: 25, width: 1920, height: 1080}\nrecording: {pre_roll_seconds: 10, frame_memory_megabytes_per_camera: 1549, clip_memory_megabytes_per_camera: 1520}\n"),
            Has.None.StartsWith("cameras[0]"));

    [Test]
    public void Load_ClipMemoryBelowPreRollAndLookAhead_PositionedErrorAtTheCamerasAnalysis()
    {
        // 1920x1080 at 10 fps with 5 s of pre-roll and the default look-ahead (5): 56 frames of 5.93 MiB.
        var yaml = "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n    analysis: {fps: 10, width: 1920, height: 1080}\nrecording:\n  clip_memory_megabytes_per_camera: 300\n";

        Assert.That(Load(yaml, positioned: true), Has.Some.EndsWith(
            "/edge.yaml:5:15 cameras[0].analysis: clip memory needs at least 333 MiB (56 frames of 1920x1080 bgr24: 50 pre-roll + 5 look-ahead + 1), more than recording.clip_memory_megabytes_per_camera allows (300); raise it, or lower the analysis size or fps, recording.pre_roll_seconds or privacy.look_ahead_frames"));
    }

    [Test]
    public void Load_DefaultClipMemoryAt1080p_NoError() =>
        Assert.That(Load("device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n    analysis: {fps: 10, width: 1920, height: 1080}\n"), Has.None.StartsWith("cameras[0]"));

    private static List<string> Load(string yaml, bool positioned = false)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-cfg-");
        try
        {
            var path = Path.Combine(directory.FullName, "edge.yaml");
            File.WriteAllText(path, yaml);
            return ConfigLoader.Load(path).Errors.Select(e => positioned ? e.ToString() : $"{e.Path}: {e.Message}").ToList();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
