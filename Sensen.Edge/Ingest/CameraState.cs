namespace Sensen.Edge.Ingest;

/// <summary>Where a camera's supervisor is; the value of the <c>sensen.edge.ingest.state</c> gauge.</summary>
internal enum CameraState
{
    /// <summary>Not started yet.</summary>
    Idle = 0,

    /// <summary>ffmpeg is starting or connecting; no frame yet in this run.</summary>
    Connecting = 1,

    /// <summary>Frames are arriving.</summary>
    Streaming = 2,

    /// <summary>The last run failed; waiting for the back-off delay before the next.</summary>
    Waiting = 3,

    /// <summary>A replay file reached its end (no <c>loop</c>); nothing more will come.</summary>
    Finished = 4,

    /// <summary>The daemon is stopping.</summary>
    Stopped = 5,
}
