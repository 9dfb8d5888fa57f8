namespace Sensen.Edge.Pipeline;

/// <summary>Whether a frame was analysed, or why not. Only <see cref="Analysed"/> frames may ever be recorded (fail closed).</summary>
internal enum AnalysisOutcome
{
    /// <summary>Every detector of the camera ran on the frame.</summary>
    Analysed,

    /// <summary>A detector reported an inference failure (ONNX Runtime refused the run): a per-frame fact.</summary>
    InferenceFailed,

    /// <summary>A detector threw something it should not (a bug): counted, logged once, and fatal after too many in a row.</summary>
    DetectorFault,

    /// <summary>No detector is configured for the camera.</summary>
    NoDetector,

    /// <summary>A primary detector's <c>interval</c> left this frame out; the tracker predicts it (not analysed, so never recorded).</summary>
    Skipped,

    /// <summary>Detection gave up on this camera (too many consecutive faults) and passes frames on unanalysed while the daemon stops.</summary>
    DetectionStopped,
}
