using System.Threading.Channels;
using Sensen.Edge.Privacy;
using Sensen.Edge.Rules;

namespace Sensen.Edge.Recording;

/// <summary>
/// One open clip of one camera: its window, the events merged into it, and the ordered queue of raw frames and
/// events towards its writer (<see cref="ClipWriter"/>). Written only under its <see cref="CameraRecorder"/>'s
/// lock, read by one writer. The queue is bounded by the camera's pool: it can never hold more frames than the
/// pool has buffers, so it is never full in practice; a frame that does not fit is released and counted as lost.
/// </summary>
internal sealed class ClipRecording
{
    private readonly Channel<ClipInput> _inputs;
    private readonly List<ViolationEvent> _events = [];
    private long _lost;

    public ClipRecording(string cameraId, long number, ClipWindow window, ViolationEvent opening, StreamCounters counters, int capacity, bool postRollCut = false)
    {
        CameraId = cameraId;
        Number = number;
        Window = window;
        CountersAtOpen = counters;
        PostRollCut = postRollCut;
        _inputs = Channel.CreateBounded<ClipInput>(new BoundedChannelOptions(Math.Max(2, capacity + 64)) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _events.Add(opening);
        _inputs.Writer.TryWrite(new ClipInput(null, opening));
    }

    public string CameraId { get; }

    /// <summary>The camera's clip number since start (for logs).</summary>
    public long Number { get; }

    public ClipWindow Window { get; private set; }

    public StreamCounters CountersAtOpen { get; }

    public StreamCounters CountersAtClose { get; private set; }

    /// <summary>True when the clip was closed before its post-roll ended (the daemon stopped).</summary>
    public bool PostRollCut { get; private set; }

    public bool IsClosed { get; private set; }

    /// <summary>Frames that could not be queued (never in practice; counted in the clip's stream health).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>The events so far (a copy).</summary>
    public IReadOnlyList<ViolationEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public ChannelReader<ClipInput> Inputs => _inputs.Reader;

    /// <summary>Hands a raw frame on; the clip's writer owns it from here (or it is released now if it cannot be queued).</summary>
    internal void Offer(ClipFrame frame)
    {
        if (!_inputs.Writer.TryWrite(new ClipInput(frame, null)))
        {
            frame.Release();
            Interlocked.Increment(ref _lost);
        }
    }

    internal void Merge(ViolationEvent violation, ClipWindow window)
    {
        lock (_events)
        {
            _events.Add(violation);
        }

        Window = window;
        _inputs.Writer.TryWrite(new ClipInput(null, violation));
    }

    internal void Close(StreamCounters counters, bool postRollCut)
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        CountersAtClose = counters;
        PostRollCut |= postRollCut;
        _inputs.Writer.TryComplete();
    }
}
