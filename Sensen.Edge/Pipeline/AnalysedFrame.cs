using System.Runtime.InteropServices;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Pipeline;

/// <summary>
/// What detection hands to tracking for each frame it took: the frame (by handle), its detections in a pooled
/// list, whether it was analysed or why not, and when. The item of the detection → tracking edge.
/// Owned by exactly one holder at a time: writing it to an edge hands it on, and the last holder calls
/// <see cref="Release"/> exactly once, which gives back the list and the frame reference. A holder that keeps
/// the pixels longer (the pre-roll ring) takes its own reference with <see cref="RetainFrame"/> first.
/// A value type, so the edge allocates nothing per frame; a copy released twice throws instead of
/// returning a buffer someone else now holds.
/// </summary>
internal readonly struct AnalysedFrame
{
    private readonly FrameHandle _frame;
    private readonly DetectionList _detections;
    private readonly int _detectionsGeneration;

    public AnalysedFrame(FrameHandle frame, DetectionList detections, AnalysisOutcome outcome, DateTimeOffset analysedAt)
    {
        var pixels = frame.Frame;
        _frame = frame;
        _detections = detections;
        _detectionsGeneration = detections.Generation;
        Outcome = outcome;
        AnalysedAt = analysedAt;
        CameraId = pixels.CameraId;
        Sequence = pixels.Sequence;
        Pts = pixels.Pts;
        CaptureTime = pixels.CaptureTime;
    }

    /// <summary>The frame's pixels and metadata; throws <see cref="StaleFrameException"/> once released.</summary>
    public Frame Frame => _frame.Frame;

    /// <summary>The detections, best first per detector; empty unless <see cref="IsAnalysed"/>. Throws once released.</summary>
    public ReadOnlySpan<DetectedObject> Detections
    {
        get
        {
            ThrowIfReleased();
            return CollectionsMarshal.AsSpan(_detections.Items);
        }
    }

    public AnalysisOutcome Outcome { get; }

    /// <summary>Only analysed frames may be recorded (ARCHITECTURE.md, promise 1).</summary>
    public bool IsAnalysed => Outcome == AnalysisOutcome.Analysed;

    /// <summary>When detection finished with the frame (UTC, from the injected clock).</summary>
    public DateTimeOffset AnalysedAt { get; }

    // Copied from the frame, so they stay readable (for logs and counts) after the release.
    public string CameraId { get; }

    public long Sequence { get; }

    public TimeSpan Pts { get; }

    public DateTimeOffset CaptureTime { get; }

    /// <summary>A reference of its own on the frame for a holder that outlives this item (the pre-roll ring).</summary>
    public FrameHandle RetainFrame()
    {
        ThrowIfReleased();
        return _frame.Retain();
    }

    /// <summary>Gives back the detection list and this item's frame reference. Exactly once per item.</summary>
    public void Release()
    {
        if (_detections is null || !_detections.TryReturn(_detectionsGeneration))
        {
            throw new StaleFrameException($"analysed frame {Sequence} of camera '{CameraId}' was released twice");
        }

        _frame.Release();
    }

    private void ThrowIfReleased()
    {
        if (_detections is null || _detections.Generation != _detectionsGeneration)
        {
            throw new StaleFrameException($"analysed frame {Sequence} of camera '{CameraId}' was used after its release");
        }
    }
}
