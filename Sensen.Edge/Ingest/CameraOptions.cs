using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Ingest;

/// <summary>One camera as ingest sees it: where its stream is and how to decode it.</summary>
internal sealed record CameraOptions
{
    [Required]
    public string Id { get; init; } = "";

    /// <summary><c>rtsp://</c>, <c>rtsps://</c> or <c>file://</c> (replay). Never holds a password.</summary>
    [Required]
    public string Url { get; init; } = "";

    /// <summary>Name of a credential file holding <c>user:password</c> for the camera.</summary>
    public string? Credential { get; init; }

    /// <summary>RTSP lower transport. TCP survives lossy links and NAT; UDP has less latency.</summary>
    public RtspTransport Transport { get; init; } = RtspTransport.Tcp;

    public HardwareAcceleration Hwaccel { get; init; } = HardwareAcceleration.Auto;

    /// <summary>For <c>file://</c> sources: keep the clip's own pace, or read as fast as possible.</summary>
    public ReplayPace Replay { get; init; } = ReplayPace.Realtime;

    /// <summary>For <c>file://</c> sources: start over at the end of the file.</summary>
    public bool Loop { get; init; }

    public AnalysisOptions Analysis { get; init; } = new();

    /// <summary>No frame for this long means the stream stalled; default derived from the analysis fps.</summary>
    [Range(1, 600)]
    public double? StallTimeoutSeconds { get; init; }
}
