namespace Sensen.Edge.Pipeline;

/// <summary>
/// Sizes of the per-camera edges. Not in the YAML on purpose: they trade latency for smoothing inside the
/// daemon, and what an operator controls (analysis size and fps, pre-roll) is what sets the memory.
/// Tests shrink them to force drops.
/// </summary>
internal sealed record PipelineTuning
{
    /// <summary>Frames waiting for detection; when it is full the oldest is dropped (the one drop point).</summary>
    public int DetectionQueueFrames { get; init; } = 4;

    /// <summary>Analysed frames waiting for tracking; when it is full detection waits (back-pressure).</summary>
    public int TrackingQueueFrames { get; init; } = 4;

    /// <summary>
    /// Frames held by the stages themselves rather than waiting on an edge: the one ingest reads into, the
    /// one detection analyses, the one tracking works on.
    /// </summary>
    public int FramesHeldByStages { get; init; } = 3;
}
