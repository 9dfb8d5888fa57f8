namespace Sensen.Edge.Frames;

/// <summary>
/// A reference to a pooled <see cref="Frame"/> that knows which use of the buffer it refers to: it carries
/// the frame's <see cref="Frame.Generation"/> from when it was made, and every access checks it. Once the
/// frame has gone back to its pool (and perhaps been rented for a later frame), the handle throws
/// <see cref="StaleFrameException"/>. A value type, so handing one along an edge allocates nothing.
/// </summary>
internal readonly struct FrameHandle
{
    private readonly Frame? _frame;
    private readonly int _generation;

    internal FrameHandle(Frame frame, int generation)
    {
        _frame = frame;
        _generation = generation;
    }

    /// <summary>The frame, while this handle's use of it lasts.</summary>
    public Frame Frame
    {
        get
        {
            ThrowIfStale();
            return _frame!;
        }
    }

    /// <summary>Whether the frame is still the one this handle was made for (false once its buffer went back to the pool).</summary>
    public bool IsLive => _frame is not null && _frame.Generation == _generation && _frame.References > 0;

    /// <summary>Adds a reference for another holder and returns its handle.</summary>
    public FrameHandle Retain()
    {
        ThrowIfStale();
        _frame!.Retain();
        return this;
    }

    /// <summary>Gives up this handle's reference (exactly once per reference).</summary>
    public void Release()
    {
        ThrowIfStale();
        _frame!.Release();
    }

    private void ThrowIfStale()
    {
        if (_frame is null)
        {
            throw new StaleFrameException("an empty frame handle was used");
        }

        if (!IsLive)
        {
            throw new StaleFrameException($"a handle on a released frame was used (camera '{_frame.CameraId}'): its buffer went back to the pool and may hold another frame now");
        }
    }
}
