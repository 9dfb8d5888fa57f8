using Sensen.Edge.Pipeline;
using Sensen.Edge.Rules;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Recording;

/// <summary>
/// One camera's recording on the live path: the pre-roll ring, and the clips open now. The tracking stage hands
/// every frame over (<see cref="OnFrame"/>, a direct call from the end of the live path, before it releases its
/// own reference); the recording stage hands every event over (<see cref="OnEvent"/>). A lock keeps the two
/// orderly; it is uncontended but for the moment an event arrives. With no clip open a frame costs one
/// retain, one release of the frame it pushes out and copies into the slot's own arrays: nothing is allocated.
/// </summary>
internal sealed class CameraRecorder : IDisposable
{
    private readonly object _gate = new();
    private readonly PreRollRing _ring;
    private readonly List<ClipRecording> _open = [];
    private readonly RecordingOptions _options;
    private readonly int _queueCapacity;
    private readonly Func<StreamCounters> _counters;
    private readonly Action<ClipRecording> _opened;
    private long _clips;
    private DateTimeOffset? _newest;

    /// <param name="cameraId">The camera.</param>
    /// <param name="ringFrames">The ring's size: the pool's pre-roll share (<c>FrameBudget.PreRoll</c>).</param>
    /// <param name="options">Pre-roll, post-roll, maximum clip length.</param>
    /// <param name="queueCapacity">The camera pool's size: no clip's queue needs to hold more.</param>
    /// <param name="counters">Reads the camera's ingest counters (drops, reconnects, stalls).</param>
    /// <param name="opened">Called (under the lock) when a clip opens, before its first frame: starts its writer.</param>
    public CameraRecorder(string cameraId, int ringFrames, RecordingOptions options, int queueCapacity, Func<StreamCounters> counters, Action<ClipRecording> opened)
    {
        CameraId = cameraId;
        _ring = new PreRollRing(ringFrames);
        _options = options;
        _queueCapacity = queueCapacity;
        _counters = counters;
        _opened = opened;
    }

    public string CameraId { get; }

    public int RingCapacity => _ring.Capacity;

    public int RingCount
    {
        get
        {
            lock (_gate)
            {
                return _ring.Count;
            }
        }
    }

    public int OpenClips
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>One frame at the end of the live path, with every track the tracker holds after it. The caller keeps (and releases) its own reference.</summary>
    public void OnFrame(in AnalysedFrame item, IReadOnlyList<Track> tracks)
    {
        var time = new FrameTime(item.Pts, item.CaptureTime);
        lock (_gate)
        {
            _newest = time.Wall;
            var entry = _ring.Add(item.RetainFrame(), item.Sequence, item.IsAnalysed, time, item.Detections, tracks);
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                var clip = _open[i];
                if (time.Wall > clip.Window.End)
                {
                    clip.Close(_counters(), postRollCut: false);
                    _open.RemoveAt(i);
                }
                else if (entry is not null && time.Wall >= clip.Window.Start)
                {
                    clip.Offer(entry.ToClipFrame());
                }
            }
        }
    }

    /// <summary>One violation of this camera: merged into the open clip it overlaps, or a new clip with the ring's frames from its start.</summary>
    public ClipRecording? OnEvent(ViolationEvent violation)
    {
        lock (_gate)
        {
            if (_open.Count > 0 && _open[^1].Window.TryMerge(violation.WindowStart, violation.WindowEnd, _options, out var merged))
            {
                _open[^1].Merge(violation, merged);
                return _open[^1];
            }

            var window = ClipWindow.For(violation.WindowStart, violation.WindowEnd, _options);
            var clip = new ClipRecording(CameraId, ++_clips, window, violation, _counters(), _queueCapacity);
            _opened(clip);
            for (var i = 0; i < _ring.Count; i++)
            {
                var entry = _ring[i];
                if (window.Covers(entry.Time.Wall))
                {
                    clip.Offer(entry.ToClipFrame());
                }
            }

            if (_newest is { } newest && newest > window.End)
            {
                // The event came late (post_roll 0, or a slow consumer): the ring already holds everything it covers.
                clip.Close(_counters(), postRollCut: false);
            }
            else
            {
                _open.Add(clip);
            }

            return clip;
        }
    }

    /// <summary>Closes every open clip with what it has (the daemon is stopping: their post-roll is cut short).</summary>
    public void CloseAll()
    {
        lock (_gate)
        {
            foreach (var clip in _open)
            {
                clip.Close(_counters(), postRollCut: true);
            }

            _open.Clear();
        }
    }

    /// <summary>Closes what is open and releases every frame in the ring.</summary>
    public void Dispose()
    {
        CloseAll();
        lock (_gate)
        {
            _ring.Clear();
        }
    }
}
