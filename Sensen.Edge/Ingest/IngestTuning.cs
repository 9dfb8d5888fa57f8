namespace Sensen.Edge.Ingest;

/// <summary>
/// Supervision constants that are not camera settings. Defaults suit a roadside unit; tests shorten
/// them. Not in the YAML on purpose: operators tune cameras, not retry maths.
/// </summary>
internal sealed record IngestTuning
{
    /// <summary>The ffmpeg binary (Debian's, on PATH).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>First retry delay; doubles (with jitter) per consecutive failure.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two attempts: a camera that comes back is seen within this.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A run that delivered frames for this long resets the back-off.</summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time ffmpeg gets to quit after 'q' on shutdown before it is killed.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Lowest stall timeout, whatever the fps.</summary>
    public TimeSpan MinStallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Frame intervals without a frame that count as a stall (default stall timeout = max(min, this / fps)).</summary>
    public int StallFrameIntervals { get; init; } = 20;

    /// <summary>Extra time allowed for the first frame of a run (RTSP handshake, waiting for a key frame).</summary>
    public TimeSpan FirstFrameGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Times in a row a camera's supervisor may fail with an unexpected exception (a bug, not a camera
    /// problem: those are retried forever) and be restarted after a back-off; one more stops the daemon with
    /// a non-zero exit so systemd restarts it. A supervisor that delivered frames since its last failure
    /// starts the count over.
    /// </summary>
    public int SupervisorRestarts { get; init; } = 5;

    /// <summary>The stall timeout for a camera: configured, else max(<see cref="MinStallTimeout"/>, <see cref="StallFrameIntervals"/> / fps).</summary>
    public TimeSpan StallTimeout(CameraOptions camera) =>
        camera.StallTimeoutSeconds is { } s
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromSeconds(Math.Max(MinStallTimeout.TotalSeconds, StallFrameIntervals / camera.Analysis.Fps));
}
