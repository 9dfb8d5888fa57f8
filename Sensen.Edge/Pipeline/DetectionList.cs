using Sensen.Edge.Detection;

namespace Sensen.Edge.Pipeline;

/// <summary>
/// A pooled list of one frame's detections, rented by the detection stage and given back when the
/// <see cref="AnalysedFrame"/> that carries it is released. Like a frame, it counts its returns
/// (<see cref="Generation"/>) so that a second release of the same analysed frame fails loudly.
/// </summary>
internal sealed class DetectionList
{
    private readonly DetectionListPool _pool;
    private int _generation;

    internal DetectionList(DetectionListPool pool, int capacity)
    {
        _pool = pool;
        Items = new List<DetectedObject>(capacity);
    }

    /// <summary>The detections; written only by the stage that rented the list, before it hands the list on.</summary>
    public List<DetectedObject> Items { get; }

    internal int Generation => Volatile.Read(ref _generation);

    /// <summary>Returns the list to its pool if it is still at <paramref name="generation"/>; false if it was already returned.</summary>
    internal bool TryReturn(int generation)
    {
        if (Interlocked.CompareExchange(ref _generation, generation + 1, generation) != generation)
        {
            return false;
        }

        Items.Clear();
        _pool.Return(this);
        return true;
    }
}
