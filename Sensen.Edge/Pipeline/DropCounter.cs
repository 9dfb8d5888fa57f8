using System.Diagnostics.Metrics;

namespace Sensen.Edge.Pipeline;

/// <summary>
/// The drops of one edge of one camera, by <see cref="DropReason"/>: kept as numbers for the status line and
/// the tests, and added to <c>sensen.edge.pipeline.frames_dropped</c> tagged with camera, edge and reason.
/// </summary>
internal sealed class DropCounter
{
    private readonly Counter<long> _instrument;
    private readonly long[] _counts = new long[Enum.GetValues<DropReason>().Length];
    private readonly KeyValuePair<string, object?> _camera;
    private readonly KeyValuePair<string, object?> _edge;

    public DropCounter(Counter<long> instrument, string cameraId, string edge)
    {
        _instrument = instrument;
        _camera = new("camera", cameraId);
        _edge = new("edge", edge);
    }

    /// <summary>Drops while running (full edge, no free buffer); frames released at stop are not in it.</summary>
    public long Dropped => Count(DropReason.QueueFull) + Count(DropReason.NoFreeBuffer);

    public long Count(DropReason reason) => Interlocked.Read(ref _counts[(int)reason]);

    public void Add(DropReason reason)
    {
        Interlocked.Increment(ref _counts[(int)reason]);
        _instrument.Add(1, _camera, _edge, new KeyValuePair<string, object?>("reason", Name(reason)));
    }

    private static string Name(DropReason reason) => reason switch
    {
        DropReason.QueueFull => "queue_full",
        DropReason.NoFreeBuffer => "no_free_buffer",
        _ => "stopping",
    };
}
