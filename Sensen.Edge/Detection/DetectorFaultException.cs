namespace Sensen.Edge.Detection;

/// <summary>
/// A camera's detectors faulted on more frames in a row than <c>inference.max_consecutive_detector_faults</c>
/// allows: the detection stage fails so that the host stops and systemd restarts the daemon.
/// </summary>
internal sealed class DetectorFaultException : Exception
{
    public DetectorFaultException()
    {
    }

    public DetectorFaultException(string message)
        : base(message)
    {
    }

    public DetectorFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
