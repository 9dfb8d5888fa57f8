using System.Threading.Channels;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Pipeline;

/// <summary>
/// Every per-camera edge of the live path, made here and nowhere else (docs/PIPELINE.md has the picture):
///
/// <code>
///  edge                   item            capacity                 when full            drop counter (reason)
///  ingest → detection     Frame           DetectionQueueFrames (4) DropOldest           queue_full, no_free_buffer
///  detection → tracking   AnalysedFrame   TrackingQueueFrames (4)  Wait (back-pressure) stopping only
///  tracking → rules       (tracking branch adds it here)           Wait
///  rules → recording      (recording adds it here)                 Wait
/// </code>
///
/// Frames are dropped at exactly one point, before detection (ARCHITECTURE.md): the ingest → detection edge
/// drops its oldest frame when detection falls behind, and when every buffer of the camera's pool is held
/// downstream ingest reads the next frame into scratch and counts it on the same edge (<c>no_free_buffer</c>).
/// Every later edge waits, so a slow stage slows detection and the drops happen in that one place; the only
/// frames released on a later edge are those still waiting when the daemon stops.
///
/// Ownership: a pooled frame has one owner at a time, and writing it to an edge hands it on. Ingest rents it
/// and writes it to <c>ToDetection</c>; detection wraps it in an <see cref="AnalysedFrame"/> and writes that to
/// <c>ToTracking</c>; whoever ends its journey releases it. Each camera's pool holds what this pipeline can
/// hold at once plus the pre-roll ring (<see cref="FrameBudget"/>), so memory is bounded by construction.
///
/// Until the tracking stage exists, <see cref="PipelineTerminal"/> reads <c>ToTracking</c>: that is where
/// tracking plugs in.
/// </summary>
internal sealed class PipelineEdges
{
    public const string IngestToDetection = "ingest→detection";
    public const string DetectionToTracking = "detection→tracking";

    private readonly Dictionary<string, CameraPipeline> _cameras = new(StringComparer.Ordinal);

    /// <param name="preRollSeconds"><c>recording.pre_roll_seconds</c>: the ring the pools make room for.</param>
    public PipelineEdges(IReadOnlyList<CameraFrames> cameras, double preRollSeconds, PipelineTuning tuning, PipelineMetrics metrics)
    {
        foreach (var camera in cameras)
        {
            var budget = FrameBudget.For(camera, preRollSeconds, tuning);
            _cameras[camera.Id] = new CameraPipeline
            {
                CameraId = camera.Id,
                Budget = budget,
                Frames = new FramePool(budget.FrameBytes, budget.Frames),
                Detections = new DetectionListPool(),
                ToDetection = new PipelineEdge<Frame>(
                    IngestToDetection,
                    camera.Id,
                    tuning.DetectionQueueFrames,
                    BoundedChannelFullMode.DropOldest,
                    static frame => frame.Release(),
                    new DropCounter(metrics.Dropped, camera.Id, IngestToDetection)),
                ToTracking = new PipelineEdge<AnalysedFrame>(
                    DetectionToTracking,
                    camera.Id,
                    tuning.TrackingQueueFrames,
                    BoundedChannelFullMode.Wait,
                    static analysed => analysed.Release(),
                    new DropCounter(metrics.Dropped, camera.Id, DetectionToTracking)),
            };
        }
    }

    /// <summary>Camera ids in configuration order.</summary>
    public IReadOnlyCollection<string> CameraIds => _cameras.Keys;

    public IEnumerable<CameraPipeline> Cameras => _cameras.Values;

    public CameraPipeline For(string cameraId) => _cameras[cameraId];

    /// <summary>
    /// One line for the status: frame buffers in use now, of the most the pools may hold. Printed in the run
    /// summary after the stop, when it must say 0 (every frame released exactly once).
    /// </summary>
    public string Describe()
    {
        var frames = _cameras.Values.Sum(c => c.Frames.InUse);
        var capacity = _cameras.Values.Sum(c => c.Frames.Capacity);
        var lists = _cameras.Values.Sum(c => c.Detections.InUse);
        return $"{frames} of {capacity} frame buffers and {lists} detection lists in use";
    }
}
