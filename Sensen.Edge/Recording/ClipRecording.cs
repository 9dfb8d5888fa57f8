using System.Threading.Channels;
using Sensen.Edge.Privacy;
using Sensen.Edge.Rules;

namespace Sensen.Edge.Recording;

/// <summary>
/// One open clip of one camera: its window, the events merged into it, and the ordered queue of raw frames and
/// events towards its writer (<see cref="ClipWriter"/>). Written only under its <see cref="CameraRecorder"/>'s
/// lock, read by one writer. Its frames are copies in the camera's clip memory, never pool buffers, and the
/// queue is bounded by that memory's size, so it is never full in practice; a frame that does not fit is
/// released and counted as lost. When the clip memory itself is full the recorder cuts the clip
/// (<see cref="Cut"/>): it is sealed with the frames it has and says how many it lost.
/// </summary>
internal sealed class ClipRecording
{
    private readonly Channel<ClipInput> _inputs;
    private readonly List<ViolationEvent> _events = [];
    private long _lost;
    private long _lostToClipMemory;

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

    /// <summary>True when the clip was cut because the camera's clip memory was full (<see cref="Cut"/>).</summary>
    public bool CutByClipMemory { get; private set; }

    /// <summary>Frames of the clip's window refused because the clip memory was full (the manifest's <c>frames_lost_to_clip_memory</c>).</summary>
    public long LostToClipMemory => Interlocked.Read(ref _lostToClipMemory);

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

    /// <summary>Frames handed on after the window's end, for the anonymiser's look-ahead only (never encoded).</summary>
    public int LookAheadOffered { get; private set; }

    /// <summary>Hands on a frame from after the window's end: the anonymiser's look-ahead behind the clip's last frame.</summary>
    internal void OfferLookAhead(ClipFrame frame)
    {
        LookAheadOffered++;
        if (!_inputs.Writer.TryWrite(new ClipInput(frame, null, LookAheadOnly: true)))
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

    /// <summary>
    /// Ends the clip early because the camera's clip memory is full: it is closed (its writer anonymises,
    /// encodes and seals what it has) with <paramref name="lostFrames"/> counted, instead of the live path
    /// losing frames. The frames that would have followed it are not recorded.
    /// </summary>
    internal void Cut(StreamCounters counters, long lostFrames)
    {
        CutByClipMemory = true;
        Interlocked.Add(ref _lostToClipMemory, lostFrames);
        Close(counters, postRollCut: false);
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
