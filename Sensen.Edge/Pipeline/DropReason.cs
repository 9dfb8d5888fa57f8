namespace Sensen.Edge.Pipeline;

/// <summary>Why a frame left the pipeline before its end. The tag <c>reason</c> on <c>sensen.edge.pipeline.frames_dropped</c>.</summary>
internal enum DropReason
{
    /// <summary>The edge was full and its full mode drops (the oldest waiting frame makes room).</summary>
    QueueFull,

    /// <summary>Every buffer of the camera's pool was held downstream: the frame was read (to keep the decoder moving) and not kept.</summary>
    NoFreeBuffer,

    /// <summary>The daemon is stopping: a frame still waiting on an edge is released unprocessed.</summary>
    Stopping,
}
