namespace Sensen.Edge.Detection;

/// <summary>A model that cannot be used as its manifest describes it; the message says what to fix.</summary>
internal sealed class ModelException : Exception
{
    public ModelException()
    {
    }

    public ModelException(string message)
        : base(message)
    {
    }

    public ModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
