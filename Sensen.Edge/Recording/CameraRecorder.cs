using Sensen.Edge.Frames;
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
/// A frame that joins a clip is copied once into the camera's clip memory (shared by every clip it joins), so
/// clips never hold the pool's buffers; when the clip memory is full the clip is cut, never a live frame lost.
/// </summary>
internal sealed class CameraRecorder : IDisposable
{
    private readonly object _gate = new();
    private readonly PreRollRing _ring;
    private readonly List<ClipRecording> _open = [];
    private readonly RecordingOptions _options;
    private readonly FramePool _clipMemory;
    private readonly Func<StreamCounters> _counters;
    private readonly Action<ClipRecording> _opened;
    private readonly int _lookAheadFrames;
    private long _clips;
    private DateTimeOffset? _newest;

    /// <param name="cameraId">The camera.</param>
    /// <param name="ringFrames">The ring's size: the pool's pre-roll share (<c>FrameBudget.PreRoll</c>).</param>
    /// <param name="options">Pre-roll, post-roll, maximum clip length.</param>
    /// <param name="clipMemory">
    /// The camera's clip memory (<c>recording.clip_memory_megabytes_per_camera</c>): buffers of the pool's frame
    /// size that clip frames are copied into. No clip's queue needs to hold more than it has.
    /// </param>
    /// <param name="counters">Reads the camera's ingest counters (drops, reconnects, stalls).</param>
    /// <param name="opened">Called (under the lock) when a clip opens, before its first frame: starts its writer.</param>
    /// <param name="lookAheadFrames">
    /// Frames handed to a clip after its window ends, so the anonymiser has its look-ahead behind the last recorded
    /// frame too (<c>privacy.look_ahead_frames</c>; without them the clip's last frames would be masked whole).
    /// </param>
    public CameraRecorder(string cameraId, int ringFrames, RecordingOptions options, FramePool clipMemory, Func<StreamCounters> counters, Action<ClipRecording> opened, int lookAheadFrames = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lookAheadFrames);
        _lookAheadFrames = lookAheadFrames;
        CameraId = cameraId;
        _ring = new PreRollRing(ringFrames);
        _options = options;
        _clipMemory = clipMemory;
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
            var copy = new SharedCopy(entry, _clipMemory);
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                var clip = _open[i];
                if (time.Wall > clip.Window.End)
                {
                    if (entry is not null && clip.LookAheadOffered < _lookAheadFrames)
                    {
                        if (!copy.TryGet(out var handle))
                        {
                            // Its recorded frames are all there; only the look-ahead is short (masked whole, look_ahead_cut).
                            clip.Cut(_counters(), lostFrames: 0);
                            _open.RemoveAt(i);
                            continue;
                        }

                        clip.OfferLookAhead(entry.ToClipFrame(handle));
                    }

                    if (entry is null || clip.LookAheadOffered >= _lookAheadFrames)
                    {
                        clip.Close(_counters(), postRollCut: false);
                        _open.RemoveAt(i);
                    }
                }
                else if (entry is not null && time.Wall >= clip.Window.Start)
                {
                    if (!copy.TryGet(out var handle))
                    {
                        clip.Cut(_counters(), lostFrames: 1);
                        _open.RemoveAt(i);
                        continue;
                    }

                    clip.Offer(entry.ToClipFrame(handle));
                }
            }

            copy.Release();
        }
    }

    /// <summary>One violation of this camera: merged into the open clip it overlaps, or a new clip with the ring's frames from its start.</summary>
    public ClipRecording? OnEvent(ViolationEvent violation)
    {
        lock (_gate)
        {
            // A clip already past its window (handing on look-ahead frames only) takes no more events: they open a new clip.
            if (_open.Count > 0 && _open[^1].LookAheadOffered == 0 && _open[^1].Window.TryMerge(violation.WindowStart, violation.WindowEnd, _options, out var merged))
            {
                _open[^1].Merge(violation, merged);
                return _open[^1];
            }

            var window = ClipWindow.For(violation.WindowStart, violation.WindowEnd, _options);
            var clip = new ClipRecording(CameraId, ++_clips, window, violation, _counters(), _clipMemory.Capacity);
            _opened(clip);
            var lost = 0;
            var full = false;
            for (var i = 0; i < _ring.Count; i++)
            {
                var entry = _ring[i];
                var covered = window.Covers(entry.Time.Wall);
                var lookAhead = !covered && entry.Time.Wall > window.End && clip.LookAheadOffered < _lookAheadFrames;
                if (!covered && !lookAhead)
                {
                    continue;
                }

                if (full || !entry.TryCopyTo(_clipMemory, out var handle))
                {
                    // Clip memory full at the open (other clips hold it): every frame of the window from here on is lost to this clip.
                    full = true;
                    lost += covered ? 1 : 0;
                    continue;
                }

                if (covered)
                {
                    clip.Offer(entry.ToClipFrame(handle));
                }
                else
                {
                    clip.OfferLookAhead(entry.ToClipFrame(handle));
                }

                handle.Release();
            }

            if (full)
            {
                clip.Cut(_counters(), lost);
            }
            else if (_newest is { } newest && newest > window.End && clip.LookAheadOffered >= _lookAheadFrames)
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

    /// <summary>
    /// A frame's one copy in clip memory, made when the first clip needs it and shared by every clip it joins
    /// (each takes a reference of its own); <see cref="Release"/> gives back the maker's reference.
    /// </summary>
    private struct SharedCopy
    {
        private readonly RingEntry? _entry;
        private readonly FramePool _clipMemory;
        private FrameHandle _handle;
        private bool _made;
        private bool _full;

        public SharedCopy(RingEntry? entry, FramePool clipMemory)
        {
            _entry = entry;
            _clipMemory = clipMemory;
        }

        /// <summary>The copy, made now if it is not yet; false when the clip memory is full.</summary>
        public bool TryGet(out FrameHandle handle)
        {
            if (!_made && !_full && _entry is not null)
            {
                _made = _entry.TryCopyTo(_clipMemory, out _handle);
                _full = !_made;
            }

            handle = _handle;
            return _made;
        }

        public readonly void Release()
        {
            if (_made)
            {
                _handle.Release();
            }
        }
    }
}
