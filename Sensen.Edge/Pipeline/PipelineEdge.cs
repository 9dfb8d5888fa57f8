using System.Threading.Channels;

namespace Sensen.Edge.Pipeline;

/// <summary>
/// One edge of one camera's pipeline: a bounded channel with its stated full mode, the action that gives
/// back an item that never reaches the reader, and its <see cref="DropCounter"/>. Made only by
/// <see cref="PipelineEdges"/>. One writer (the stage before), one reader (the stage after); whoever holds
/// an item owns it, and writing it hands it on.
/// </summary>
internal sealed class PipelineEdge<T>
{
    private readonly Channel<T> _channel;
    private readonly Action<T> _release;

    public PipelineEdge(string name, string cameraId, int capacity, BoundedChannelFullMode fullMode, Action<T> release, DropCounter drops)
    {
        Name = name;
        CameraId = cameraId;
        Capacity = capacity;
        FullMode = fullMode;
        Drops = drops;
        _release = release;
        _channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity) { FullMode = fullMode, SingleWriter = true, SingleReader = true },
            fullMode == BoundedChannelFullMode.Wait ? null : dropped =>
            {
                release(dropped);
                drops.Add(DropReason.QueueFull);
            });
    }

    /// <summary>From → to, e.g. <c>ingest→detection</c>: the tag <c>edge</c> of the drop counter.</summary>
    public string Name { get; }

    public string CameraId { get; }

    public int Capacity { get; }

    public BoundedChannelFullMode FullMode { get; }

    public DropCounter Drops { get; }

    public ChannelReader<T> Reader => _channel.Reader;

    public ChannelWriter<T> Writer => _channel.Writer;

    /// <summary>
    /// Ends the edge from the reading side (the reader is stopping): later writes fail, so the writer keeps
    /// and releases what it cannot hand on. Then releases every item still waiting, counted as
    /// <see cref="DropReason.Stopping"/>. Safe to call more than once, and after the writer completed.
    /// </summary>
    public void Close()
    {
        _channel.Writer.TryComplete();
        while (_channel.Reader.TryRead(out var item))
        {
            _release(item);
            Drops.Add(DropReason.Stopping);
        }
    }

    /// <summary>
    /// Completes the edge when <paramref name="stoppingToken"/> fires, so that a reader waiting on it wakes and
    /// (seeing its token) stops, and later writes fail. Readers wait with this instead of passing the token to
    /// <see cref="ChannelReader{T}.WaitToReadAsync"/>: a bounded channel reuses its one waiter only for a wait
    /// that cannot be cancelled, and a cancellable wait allocates per frame (docs/BENCHMARKS.md, pipeline).
    /// </summary>
    public CancellationTokenRegistration CompleteOn(CancellationToken stoppingToken) =>
        stoppingToken.UnsafeRegister(static edge => ((PipelineEdge<T>)edge!)._channel.Writer.TryComplete(), this);

    /// <summary>Releases an item its writer could not hand on because the edge is closed.</summary>
    public void ReleaseUndelivered(T item)
    {
        _release(item);
        Drops.Add(DropReason.Stopping);
    }
}
