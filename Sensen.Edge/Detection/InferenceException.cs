namespace Sensen.Edge.Detection;

/// <summary>
/// A detector's own report that inference failed on one frame (the accelerator refused the run, a
/// secondary model had nothing valid to work on). Like ONNX Runtime's <c>OnnxRuntimeException</c>, it is a
/// known, per-frame failure: the frame is not analysed and the next one is tried. Anything else a detector
/// throws is treated as a bug (<see cref="Pipeline.AnalysisOutcome.DetectorFault"/>).
/// </summary>
internal sealed class InferenceException : Exception
{
    public InferenceException()
    {
    }

    public InferenceException(string message)
        : base(message)
    {
    }

    public InferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
