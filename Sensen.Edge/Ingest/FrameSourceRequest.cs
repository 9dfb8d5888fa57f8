using Sensen.Edge.Frames;

namespace Sensen.Edge.Ingest;

/// <summary>Everything one run of a frame source needs: where, how to decode, and the frames wanted.</summary>
internal sealed record FrameSourceRequest
{
    public required string CameraId { get; init; }

    /// <summary>The configured URL; never holds credentials (the validator refuses user info).</summary>
    public required Uri Url { get; init; }

    public CameraCredential? Credential { get; init; }

    public RtspTransport Transport { get; init; } = RtspTransport.Tcp;

    public ReplayPace Replay { get; init; } = ReplayPace.Realtime;

    public bool Loop { get; init; }

    /// <summary>Output frame rate (ffmpeg's <c>fps</c> filter); null keeps the stream's own rate (the probe).</summary>
    public double? Fps { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public PixelFormat Format { get; init; } = PixelFormat.Bgr24;

    public DecoderChoice Decoder { get; init; } = DecoderChoice.Software("default");

    /// <summary>The codec of the camera's stream when known from an earlier run (Jetson decoders are per codec).</summary>
    public string? KnownCodec { get; init; }

    /// <summary>Socket I/O timeout handed to ffmpeg's RTSP demuxer.</summary>
    public TimeSpan IoTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int FrameBytes => PixelFormats.FrameBytes(Format, Width, Height);
}
