namespace Sensen.Edge.Frames;

/// <summary>
/// A frame was read through a reference kept past its release: its buffer is back in the pool, or already
/// holds another frame. Always a bug in the holder; thrown so that it fails loudly instead of reading
/// (or, on the clip path, recording) the pixels of a different frame.
/// </summary>
internal sealed class StaleFrameException : InvalidOperationException
{
    public StaleFrameException()
    {
    }

    public StaleFrameException(string message)
        : base(message)
    {
    }

    public StaleFrameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
