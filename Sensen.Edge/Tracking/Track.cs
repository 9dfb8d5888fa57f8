using Sensen.Edge.Detection;

namespace Sensen.Edge.Tracking;

/// <summary>
/// One tracked object on one camera: a box filter, a short history, the class by vote and the stationary
/// state. Objects are reused by <see cref="ObjectTracker"/> (the steady state allocates nothing), so hold a
/// track's <see cref="Id"/>, never the object, beyond the frame it was handed over in.
/// </summary>
internal sealed class Track
{
    private static readonly int ClassCount = Enum.GetValues<ObjectClass>().Length;

    private readonly TrackPoint[] _history;
    private readonly float[] _votes = new float[ClassCount];
    private AxisKalman _cx;
    private AxisKalman _cy;
    private AxisKalman _w;
    private AxisKalman _h;
    private int _head;
    private double _scoreSum;
    private double _stationaryX;
    private double _stationaryY;

    public Track(int historyCapacity)
    {
        _history = new TrackPoint[historyCapacity];
    }

    public long Id { get; private set; }

    public TrackState State { get; internal set; }

    /// <summary>Detections associated so far.</summary>
    public int Hits { get; private set; }

    public ObjectClass Class { get; private set; }

    /// <summary>Share of the summed detection scores that voted for <see cref="Class"/> (0..1).</summary>
    public float ClassShare { get; private set; }

    /// <summary>Mean score of the associated detections.</summary>
    public float Confidence => Hits == 0 ? 0 : (float)(_scoreSum / Hits);

    /// <summary>The current estimate: filtered on a frame with a detection, predicted otherwise.</summary>
    public BoxF Box { get; private set; }

    /// <summary>Whether a detection was associated on the latest frame.</summary>
    public bool Observed { get; private set; }

    public FrameTime FirstSeen { get; private set; }

    public FrameTime LastSeen { get; private set; }

    /// <summary>Filtered velocity of the box centre, pixels per second.</summary>
    public (double X, double Y) Velocity => (_cx.Velocity, _cy.Velocity);

    /// <summary>Standard deviation of the centre's position estimate, pixels (the geometry term of speed uncertainty).</summary>
    public double PositionStd => Math.Sqrt(Math.Max(_cx.Variance, _cy.Variance));

    public bool IsStationary { get; private set; }

    /// <summary>When the track became stationary (valid while <see cref="IsStationary"/>).</summary>
    public FrameTime StationarySince { get; private set; }

    public int HistoryCount { get; private set; }

    /// <summary>History entry <paramref name="index"/>, 0 the oldest kept, <see cref="HistoryCount"/> − 1 the latest.</summary>
    public ref readonly TrackPoint History(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, HistoryCount);
        return ref _history[(_head - HistoryCount + index + _history.Length) % _history.Length];
    }

    /// <summary>Copies the history entries from <paramref name="from"/> on (wall clock), oldest first.</summary>
    public TrackPoint[] HistorySince(DateTimeOffset from)
    {
        var first = HistoryCount;
        while (first > 0 && History(first - 1).Time.Wall >= from)
        {
            first--;
        }

        var points = new TrackPoint[HistoryCount - first];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = History(first + i);
        }

        return points;
    }

    internal void Start(long id, in DetectedObject detection, FrameTime time, TrackerOptions options)
    {
        Id = id;
        State = TrackState.Tentative;
        Hits = 0;
        _scoreSum = 0;
        Array.Clear(_votes);
        HistoryCount = 0;
        _head = 0;
        IsStationary = false;
        FirstSeen = time;
        CurrentPts = time.Pts;
        var b = detection.Box;
        var h = Math.Max(1, b.Height);
        var posStd = options.MeasurementNoise * h;
        var velStd = options.InitialVelocityNoise * h;
        _cx.Initialise((b.X1 + b.X2) / 2, posStd, velStd);
        _cy.Initialise((b.Y1 + b.Y2) / 2, posStd, velStd);
        _w.Initialise(b.Width, posStd, velStd);
        _h.Initialise(b.Height, posStd, velStd);
        Vote(detection);
        Hits = 1;
        LastSeen = time;
        Observed = true;
        Box = Estimate();
        Record(time, detection.Score, options);
    }

    /// <summary>Advances the filter to <paramref name="time"/> without recording anything.</summary>
    internal void Predict(FrameTime time, TrackerOptions options)
    {
        var dt = (time.Pts - CurrentPts).TotalSeconds;
        if (dt <= 0)
        {
            return;
        }

        var accel = options.AccelerationNoise * Math.Max(1, _h.Position);
        _cx.Predict(dt, accel);
        _cy.Predict(dt, accel);
        _w.Predict(dt, accel);
        _h.Predict(dt, accel);
        if (_w.Position < 1 || _h.Position < 1)
        {
            // A prediction must not shrink a box to nothing: keep its last size.
            _w.Freeze();
            _h.Freeze();
        }

        CurrentPts = time.Pts;
        Box = Estimate();
        Observed = false;
    }

    internal void Correct(in DetectedObject detection, FrameTime time, TrackerOptions options)
    {
        var b = detection.Box;
        var std = options.MeasurementNoise * Math.Max(1, b.Height);
        _cx.Update((b.X1 + b.X2) / 2, std);
        _cy.Update((b.Y1 + b.Y2) / 2, std);
        _w.Update(b.Width, std);
        _h.Update(b.Height, std);
        Vote(detection);
        Hits++;
        LastSeen = time;
        Observed = true;
        Box = Estimate();
    }

    /// <summary>Ends a frame for a live track: appends the history entry and updates the stationary state.</summary>
    internal void Record(FrameTime time, float score, TrackerOptions options)
    {
        _history[_head] = new TrackPoint(time, Box, Observed, Observed ? score : 0);
        _head = (_head + 1) % _history.Length;
        HistoryCount = Math.Min(HistoryCount + 1, _history.Length);
        UpdateStationary(time, options);
    }

    internal void Freeze()
    {
        _w.Freeze();
        _h.Freeze();
    }

    private TimeSpan CurrentPts { get; set; }

    private BoxF Estimate() => BoxF.FromCenter((float)_cx.Position, (float)_cy.Position, (float)Math.Max(1, _w.Position), (float)Math.Max(1, _h.Position));

    private void Vote(in DetectedObject detection)
    {
        _votes[(int)detection.Class] += detection.Score;
        _scoreSum += detection.Score;
        var best = 0;
        float total = 0;
        for (var i = 0; i < _votes.Length; i++)
        {
            total += _votes[i];
            if (_votes[i] > _votes[best])
            {
                best = i;
            }
        }

        Class = (ObjectClass)best;
        ClassShare = total > 0 ? _votes[best] / total : 0;
    }

    /// <summary>
    /// Enters stationary when the bottom centre stayed within a small radius over the whole window; leaves only
    /// when it moves beyond a larger radius from where it stopped, so a parked vehicle whose box jitters by a
    /// few pixels stays stationary (hysteresis).
    /// </summary>
    private void UpdateStationary(FrameTime time, TrackerOptions options)
    {
        var box = Box;
        var h = Math.Max(1, box.Height);
        var x = (box.X1 + box.X2) / 2;
        var y = box.Y2;
        if (IsStationary)
        {
            var dx = x - _stationaryX;
            var dy = y - _stationaryY;
            if ((dx * dx) + (dy * dy) > options.StationaryExitRadius * h * options.StationaryExitRadius * h)
            {
                IsStationary = false;
            }

            return;
        }

        if (time.Pts - FirstSeen.Pts < options.StationaryWindow)
        {
            return;
        }

        double minX = x, maxX = x, minY = y, maxY = y, sumX = 0, sumY = 0;
        var n = 0;
        FrameTime start = time;
        for (var i = HistoryCount - 1; i >= 0; i--)
        {
            ref readonly var p = ref History(i);
            if (time.Pts - p.Time.Pts > options.StationaryWindow)
            {
                break;
            }

            var px = (p.Box.X1 + p.Box.X2) / 2;
            var py = p.Box.Y2;
            minX = Math.Min(minX, px);
            maxX = Math.Max(maxX, px);
            minY = Math.Min(minY, py);
            maxY = Math.Max(maxY, py);
            sumX += px;
            sumY += py;
            start = p.Time;
            n++;
        }

        var diameter = 2 * options.StationaryEnterRadius * h;
        if (n > 1 && time.Pts - start.Pts >= options.StationaryWindow * 0.9 && maxX - minX <= diameter && maxY - minY <= diameter)
        {
            IsStationary = true;
            StationarySince = start;
            _stationaryX = sumX / n;
            _stationaryY = sumY / n;
        }
    }
}
