using Sensen.Edge.Detection;

namespace Sensen.Edge.Tracking;

/// <summary>
/// ByteTrack-style multi-object tracker for one camera (Zhang et al., "ByteTrack: Multi-Object Tracking by
/// Associating Every Detection Box", ECCV 2022): confident detections are associated first with confirmed and
/// lost tracks, the low-score ones then rescue the still unmatched confirmed tracks (an occluded vehicle's
/// score drops before it disappears), and tentative tracks get what is left. Association is greedy on IoU
/// between the Kalman-predicted track boxes and the detections, best pair first. Between primary detections
/// (the cascade's detection interval) <see cref="Predict"/> advances tracks without association.
/// Track objects, the candidate buffer and the lists are reused: after warm-up a frame allocates nothing.
/// </summary>
internal sealed class ObjectTracker
{
    private readonly TrackerOptions _options;
    private readonly List<Track> _tracks = new(64);
    private readonly Stack<Track> _free = new(64);
    private readonly List<long> _removed = new(16);
    private readonly List<Track> _confirmedView = new(64);
    private bool[] _trackMatched = new bool[64];
    private float[] _scores = new float[64];
    private bool[] _detectionMatched = new bool[256];
    private Candidate[] _candidates = new Candidate[1024];
    private long _nextId = 1;

    public ObjectTracker(TrackerOptions? options = null)
    {
        _options = options ?? new TrackerOptions();
    }

    public TrackerOptions Options => _options;

    /// <summary>Every live track (tentative, confirmed and lost), in creation order.</summary>
    public IReadOnlyList<Track> Tracks => _tracks;

    /// <summary>
    /// What rules see on the latest frame: confirmed tracks, and lost ones still coasting on their prediction
    /// (a missed detection or two must not make a vehicle vanish from a zone).
    /// </summary>
    public IReadOnlyList<Track> Confirmed => _confirmedView;

    /// <summary>Ids of the tracks removed by the latest call (rules drop their state for these).</summary>
    public IReadOnlyList<long> Removed => _removed;

    /// <summary>Tracks started since construction (ids are 1, 2, …).</summary>
    public long Started => _nextId - 1;

    /// <summary>Associates one frame's detections (the primary detector ran on it).</summary>
    public void Update(ReadOnlySpan<DetectedObject> detections, FrameTime time)
    {
        _removed.Clear();
        EnsureCapacity(_tracks.Count, detections.Length);
        for (var i = 0; i < _tracks.Count; i++)
        {
            _tracks[i].Predict(time, _options);
            _trackMatched[i] = false;
        }

        for (var d = 0; d < detections.Length; d++)
        {
            // Below the low threshold a detection is noise to the tracker: mark it used.
            _detectionMatched[d] = detections[d].Score < _options.LowScore;
        }

        // 1: confident detections against confirmed and lost tracks.
        Associate(detections, time, high: true, TrackFilter.FirstPass, _options.FirstMatchIou, 0);

        // 2: low-score detections against confirmed tracks still unmatched (not lost ones: ByteTrack §3).
        Associate(detections, time, high: false, TrackFilter.SecondPass, _options.SecondMatchIou, 0);

        // 3: tentative tracks against the confident detections left, on buffered boxes: a new track has no
        // velocity yet, so its prediction stands where the vehicle was (C-BIoU, Yang et al., WACV 2023).
        Associate(detections, time, high: true, TrackFilter.ThirdPass, _options.TentativeMatchIou, _options.TentativeBuffer);

        for (var i = 0; i < _tracks.Count; i++)
        {
            var track = _tracks[i];
            if (_trackMatched[i])
            {
                if (track.State == TrackState.Lost || (track.State == TrackState.Tentative && track.Hits >= _options.ConfirmHits))
                {
                    track.State = TrackState.Confirmed;
                }

                continue;
            }

            switch (track.State)
            {
                case TrackState.Tentative:
                    track.State = TrackState.Removed;
                    break;
                case TrackState.Confirmed:
                    track.State = TrackState.Lost;
                    track.Freeze();
                    break;
                case TrackState.Lost when time.Pts - track.LastSeen.Pts > _options.LostTimeout:
                    track.State = TrackState.Removed;
                    break;
            }
        }

        var existing = _tracks.Count;
        for (var d = 0; d < detections.Length; d++)
        {
            if (!_detectionMatched[d] && detections[d].Score >= _options.NewTrackScore)
            {
                var track = _free.Count > 0 ? _free.Pop() : new Track(_options.HistoryCapacity);
                track.Start(_nextId++, detections[d], time, _options);
                if (_options.ConfirmHits <= 1)
                {
                    track.State = TrackState.Confirmed;
                }

                _tracks.Add(track);
            }
        }

        for (var i = 0; i < existing; i++)
        {
            var track = _tracks[i];
            if (track.State is TrackState.Confirmed or TrackState.Tentative || Coasting(track, time))
            {
                track.Record(time, track.Observed ? LastScore(i) : 0, _options);
            }
        }

        Compact(time);
    }

    /// <summary>Advances every track to a frame the primary detector skipped.</summary>
    public void Predict(FrameTime time)
    {
        _removed.Clear();
        foreach (var track in _tracks)
        {
            track.Predict(time, _options);
            if (track.State is TrackState.Confirmed or TrackState.Tentative || Coasting(track, time))
            {
                track.Record(time, 0, _options);
            }
        }

        Compact(time);
    }

    /// <summary>Drops every track (camera reconnected: old positions mean nothing).</summary>
    public void Clear()
    {
        _removed.Clear();
        foreach (var track in _tracks)
        {
            track.State = TrackState.Removed;
        }

        Compact(default);
    }

    private float LastScore(int trackIndex) => _scores[trackIndex];

    private static BoxF Buffered(BoxF box, float buffer) =>
        buffer <= 0 ? box : new(box.X1 - (buffer * box.Width), box.Y1 - (buffer * box.Height), box.X2 + (buffer * box.Width), box.Y2 + (buffer * box.Height));

    private void Associate(ReadOnlySpan<DetectedObject> detections, FrameTime time, bool high, TrackFilter filter, float minIou, float buffer)
    {
        var count = 0;
        for (var i = 0; i < _tracks.Count; i++)
        {
            var track = _tracks[i];
            if (_trackMatched[i] || !filter.Accepts(track.State))
            {
                continue;
            }

            var predicted = Buffered(track.Box, buffer);
            for (var d = 0; d < detections.Length; d++)
            {
                if (_detectionMatched[d] || (detections[d].Score >= _options.HighScore) != high)
                {
                    continue;
                }

                var iou = predicted.IntersectionOverUnion(Buffered(detections[d].Box, buffer));
                if (iou >= minIou)
                {
                    _candidates[count++] = new Candidate(iou, i, d);
                }
            }
        }

        // Best pair first; ties broken by index so a run is reproducible. A static lambda is cached by the
        // compiler: sorting allocates nothing.
        _candidates.AsSpan(0, count).Sort(static (a, b) =>
        {
            var byIou = b.Iou.CompareTo(a.Iou);
            return byIou != 0 ? byIou : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Detection.CompareTo(b.Detection);
        });
        for (var c = 0; c < count; c++)
        {
            var (_, t, d) = _candidates[c];
            if (_trackMatched[t] || _detectionMatched[d])
            {
                continue;
            }

            _trackMatched[t] = true;
            _detectionMatched[d] = true;
            _scores[t] = detections[d].Score;
            _tracks[t].Correct(detections[d], time, _options);
        }
    }

    private void EnsureCapacity(int tracks, int detections)
    {
        if (_trackMatched.Length < tracks)
        {
            _trackMatched = new bool[tracks * 2];
            _scores = new float[tracks * 2];
        }

        if (_detectionMatched.Length < detections)
        {
            _detectionMatched = new bool[detections * 2];
        }

        if (_candidates.Length < tracks * detections)
        {
            _candidates = new Candidate[tracks * detections * 2];
        }
    }

    private bool Coasting(Track track, FrameTime time) =>
        track.State == TrackState.Lost && time.Pts - track.LastSeen.Pts <= _options.CoastTimeout;

    private void Compact(FrameTime time)
    {
        _confirmedView.Clear();
        var kept = 0;
        for (var i = 0; i < _tracks.Count; i++)
        {
            var track = _tracks[i];
            if (track.State == TrackState.Removed)
            {
                _removed.Add(track.Id);
                _free.Push(track);
                continue;
            }

            _tracks[kept++] = track;
            if (track.State == TrackState.Confirmed || Coasting(track, time))
            {
                _confirmedView.Add(track);
            }
        }

        _tracks.RemoveRange(kept, _tracks.Count - kept);
    }

    private readonly record struct Candidate(float Iou, int Track, int Detection);

    private readonly record struct TrackFilter(bool Tentative, bool Confirmed, bool Lost)
    {
        public static TrackFilter FirstPass => new(false, true, true);

        public static TrackFilter SecondPass => new(false, true, false);

        public static TrackFilter ThirdPass => new(true, false, false);

        public bool Accepts(TrackState state) => state switch
        {
            TrackState.Tentative => Tentative,
            TrackState.Confirmed => Confirmed,
            TrackState.Lost => Lost,
            _ => false,
        };
    }
}
