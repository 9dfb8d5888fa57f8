using System.Collections.Concurrent;

namespace Sensen.Edge.Pipeline;

/// <summary>
/// The detection lists of one camera. There is never more than one list per frame in flight, so the pool
/// stays as small as the camera's frame pool; after warm-up renting allocates nothing.
/// </summary>
internal sealed class DetectionListPool
{
    private readonly ConcurrentBag<DetectionList> _free = [];
    private readonly int _listCapacity;
    private int _created;

    public DetectionListPool(int listCapacity = 256)
    {
        _listCapacity = listCapacity;
    }

    /// <summary>Lists rented and not yet returned.</summary>
    public int InUse => Volatile.Read(ref _created) - _free.Count;

    public DetectionList Rent()
    {
        if (_free.TryTake(out var list))
        {
            return list;
        }

        Interlocked.Increment(ref _created);
        return new DetectionList(this, _listCapacity);
    }

    internal void Return(DetectionList list) => _free.Add(list);
}
