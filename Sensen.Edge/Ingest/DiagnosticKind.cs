namespace Sensen.Edge.Ingest;

/// <summary>
/// What went wrong with a camera, in words an installer can act on. Each kind is recognised from
/// ffmpeg's stderr (<see cref="FfmpegLogParser"/>) or from the supervisor's own watchdog, and is the
/// <c>class</c> tag of the decode-error and failure metrics.
/// </summary>
internal enum DiagnosticKind
{
    /// <summary>Nothing classifiable: ffmpeg failed in a way this code does not name.</summary>
    Other,

    /// <summary>Nobody listens on the camera's port (TCP RST).</summary>
    ConnectionRefused,

    /// <summary>The camera's host name does not resolve.</summary>
    UnknownHost,

    /// <summary>The camera answered but has no stream at that path (RTSP 404).</summary>
    NotFound,

    /// <summary>The camera refused the credentials, or none were given (RTSP 401/403).</summary>
    Unauthorized,

    /// <summary>The stream holds no video track (audio only, metadata only).</summary>
    NoVideo,

    /// <summary>H.264/H.265 data that the decoder could not decode (truncated, corrupted, injected bytes).</summary>
    CorruptStream,

    /// <summary>The picture size changed mid-stream; frames keep their analysis size (ffmpeg rescales).</summary>
    ResolutionChanged,

    /// <summary>A network operation timed out.</summary>
    Timeout,

    /// <summary>An established connection broke (reset, closed, end of stream from a live source).</summary>
    ConnectionLost,

    /// <summary>The TLS handshake of an rtsps:// source failed.</summary>
    Tls,

    /// <summary>The hardware decoder could not be opened.</summary>
    HardwareDecoder,

    /// <summary>No frame arrived within the stall timeout; the supervisor killed ffmpeg.</summary>
    Stalled,

    /// <summary>ffmpeg's raw output ended in the middle of a frame.</summary>
    MalformedOutput,
}
