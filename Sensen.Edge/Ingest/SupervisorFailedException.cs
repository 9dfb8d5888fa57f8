namespace Sensen.Edge.Ingest;

/// <summary>
/// A camera's supervisor failed with an unexpected exception more often in a row than
/// <see cref="IngestTuning.SupervisorRestarts"/> allows: the ingest stage fails, the host stops, and the
/// daemon exits non-zero so that systemd restarts it, rather than staying "ready" with a dead camera.
/// </summary>
internal sealed class SupervisorFailedException : Exception
{
    public SupervisorFailedException()
    {
    }

    public SupervisorFailedException(string message)
        : base(message)
    {
    }

    public SupervisorFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
