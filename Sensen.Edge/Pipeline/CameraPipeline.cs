using Sensen.Edge.Frames;

namespace Sensen.Edge.Pipeline;

/// <summary>One camera's buffers and edges, as <see cref="PipelineEdges"/> made them.</summary>
internal sealed class CameraPipeline
{
    public required string CameraId { get; init; }

    /// <summary>What the pool was sized from.</summary>
    public required FrameBudget Budget { get; init; }

    /// <summary>The camera's frame buffers (<see cref="FrameBudget.Frames"/> at most).</summary>
    public required FramePool Frames { get; init; }

    /// <summary>Detection lists, one per analysed frame in flight.</summary>
    public required DetectionListPool Detections { get; init; }

    /// <summary>Ingest → detection: the single drop point.</summary>
    public required PipelineEdge<Frame> ToDetection { get; init; }

    /// <summary>Detection → tracking: back-pressure, nothing dropped while running.</summary>
    public required PipelineEdge<AnalysedFrame> ToTracking { get; init; }

    /// <summary>Every edge, in flow order (for stop-time checks and the status line).</summary>
    public IEnumerable<(string Name, DropCounter Drops)> Edges =>
        [(ToDetection.Name, ToDetection.Drops), (ToTracking.Name, ToTracking.Drops)];
}
