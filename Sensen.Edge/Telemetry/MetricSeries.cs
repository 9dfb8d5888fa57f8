namespace Sensen.Edge.Telemetry;

/// <summary>One instrument with one set of tags, as <see cref="TelemetryCollector"/> aggregates it.</summary>
internal sealed class MetricSeries
{
    /// <summary>Histogram values kept per interval, at most (the latest win); p50/p95 come from them.</summary>
    public const int WindowCapacity = 2048;

    private readonly Queue<double> _window = new();

    public MetricSeries(string instrument, IReadOnlyDictionary<string, string> tags, bool observable)
    {
        Instrument = instrument;
        Tags = tags;
        IsObservable = observable;
    }

    /// <summary>Observable instruments report totals or current values: each observation replaces the last.</summary>
    public bool IsObservable { get; }

    public string Instrument { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Counters: the sum since start; gauges: unused.</summary>
    public double Sum { get; private set; }

    /// <summary>Gauges: the latest observation.</summary>
    public double Last { get; private set; }

    public DateTimeOffset LastAt { get; private set; }

    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? value : null;

    internal void ResetForObservation() => Sum = 0;

    internal void Add(double value, DateTimeOffset at, bool histogram)
    {
        Sum += value;
        Last = value;
        LastAt = at;
        if (histogram)
        {
            if (_window.Count == WindowCapacity)
            {
                _window.Dequeue();
            }

            _window.Enqueue(value);
        }
    }

    /// <summary>The histogram values recorded since the last call, sorted; the window starts empty again.</summary>
    internal double[] DrainWindow()
    {
        var values = _window.ToArray();
        _window.Clear();
        Array.Sort(values);
        return values;
    }
}
