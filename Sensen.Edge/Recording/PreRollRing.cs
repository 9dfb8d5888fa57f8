using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Recording;

/// <summary>
/// One camera's pre-roll: the last <see cref="Capacity"/> frames by retained reference, in RAM only. Capacity is
/// the pool's pre-roll share (<c>FrameBudget.PreRoll</c> = <c>pre_roll_seconds</c> × fps, rounded up), so the ring
/// never holds more than the budget counted for it. A frame pushed out of a full ring is released: if no clip
/// took a reference of its own, its buffer goes back to the pool. Not thread-safe (its recorder locks).
/// </summary>
internal sealed class PreRollRing : IDisposable
{
    private readonly RingEntry[] _entries;
    private int _next;

    public PreRollRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _entries = new RingEntry[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _entries[i] = new RingEntry();
        }
    }

    public int Capacity => _entries.Length;

    public int Count { get; private set; }

    /// <summary>Entry <paramref name="index"/>, 0 the oldest held.</summary>
    public RingEntry this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _entries[(_next - Count + index + _entries.Length) % _entries.Length];
        }
    }

    /// <summary>
    /// Keeps <paramref name="retained"/> (a reference of the ring's own), pushing out and releasing the oldest
    /// when full. Returns the entry, or null when the ring has no room at all (no pre-roll): the reference is then released at once.
    /// </summary>
    public RingEntry? Add(FrameHandle retained, long sequence, bool analysed, FrameTime time, ReadOnlySpan<DetectedObject> detections, IReadOnlyList<Track> tracks)
    {
        if (_entries.Length == 0)
        {
            retained.Release();
            return null;
        }

        var entry = _entries[_next];
        entry.Release();
        entry.Fill(retained, sequence, analysed, time, detections, tracks);
        _next = (_next + 1) % _entries.Length;
        Count = Math.Min(Count + 1, _entries.Length);
        return entry;
    }

    /// <summary>Releases every frame held.</summary>
    public void Clear()
    {
        foreach (var entry in _entries)
        {
            entry.Release();
        }

        Count = 0;
        _next = 0;
    }

    public void Dispose() => Clear();
}
