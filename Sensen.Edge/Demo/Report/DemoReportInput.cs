namespace Sensen.Edge.Demo.Report;

/// <summary>
/// What the demo hands its report: where the receiver put what it decrypted, the summary the demo printed,
/// one telemetry message as the broker carried it, and per-frame counts for the chart.
/// </summary>
internal sealed record DemoReportInput
{
    /// <summary>The reference receiver's output directory (<c>evidence/DEVICE/ID/{clip.mp4,manifest.json}</c>).</summary>
    public required string ReceiverOutputDirectory { get; init; }

    /// <summary>The summary lines the demo printed, in order (label → value).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Summary { get; init; }

    /// <summary>One telemetry message as published on the device's telemetry topic (JSON), if one arrived.</summary>
    public string? TelemetrySnapshotJson { get; init; }

    /// <summary>Per analysed frame: what the live path detected, and what the clip path obscured (chart data).</summary>
    public required IReadOnlyList<DemoFrameStat> Frames { get; init; }

    /// <summary>The violations the scene was composed to contain, to set beside what was caught.</summary>
    public IReadOnlyList<ExpectedViolation> Expected { get; init; } = [];

    /// <summary>The ffmpeg that cuts the stills from the received clips.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";
}

/// <summary>One analysed frame of one camera, for the report's chart.</summary>
/// <param name="CameraId">The camera.</param>
/// <param name="Sequence">The camera's frame sequence number.</param>
/// <param name="Seconds">Seconds since the camera's first frame.</param>
/// <param name="Detections">Primary detections on the live path (all classes).</param>
/// <param name="FacesObscured">Faces the clip path obscured on this frame (0 when the frame joined no clip).</param>
/// <param name="PlatesObscured">Bystander plates the clip path obscured on this frame.</param>
/// <param name="InClip">Whether the frame joined a clip.</param>
/// <param name="MaskedWhole">Whether the clip path masked the frame whole (fail-closed).</param>
internal sealed record DemoFrameStat(string CameraId, long Sequence, double Seconds, int Detections, int FacesObscured, int PlatesObscured, bool InClip, bool MaskedWhole);
