namespace Sensen.Edge.Ingest;

/// <summary>A frame source failed in a classified way. The message is redacted; it never holds a credential.</summary>
internal sealed class FrameSourceException : Exception
{
    public FrameSourceException(DiagnosticKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public FrameSourceException(DiagnosticKind kind, string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public FrameSourceException()
    {
    }

    public FrameSourceException(string message)
        : base(message)
    {
    }

    public FrameSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DiagnosticKind Kind { get; } = DiagnosticKind.Other;
}
