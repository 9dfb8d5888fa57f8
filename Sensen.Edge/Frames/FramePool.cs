using System.Collections.Concurrent;

namespace Sensen.Edge.Frames;

/// <summary>
/// A bounded pool of frame buffers of one size. At most <see cref="Capacity"/> frames exist at a time,
/// so memory is bounded by construction: when all are in use, <see cref="TryRent"/> fails and the
/// producer drops the frame it was about to read (the single drop point, before detection).
/// After warm-up the steady state allocates nothing.
/// </summary>
internal sealed class FramePool
{
    private readonly ConcurrentBag<Frame> _free = [];
    private int _created;

    public FramePool(int frameBytes, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        FrameBytes = frameBytes;
        Capacity = capacity;
    }

    public int FrameBytes { get; }

    public int Capacity { get; }

    /// <summary>Frames currently rented and not yet returned.</summary>
    public int InUse => Volatile.Read(ref _created) - _free.Count;

    public bool TryRent(out Frame frame)
    {
        if (!_free.TryTake(out frame!))
        {
            if (Interlocked.Increment(ref _created) > Capacity)
            {
                Interlocked.Decrement(ref _created);
                frame = null!;
                return false;
            }

            frame = new Frame(this, GC.AllocateUninitializedArray<byte>(FrameBytes, pinned: true));
        }

        frame.Activate();
        return true;
    }

    internal void Return(Frame frame) => _free.Add(frame);
}
