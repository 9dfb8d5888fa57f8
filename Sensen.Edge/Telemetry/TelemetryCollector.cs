using System.Diagnostics.Metrics;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Listens to every instrument of the daemon's meters (<c>Sensen.Edge.*</c>, System.Diagnostics.Metrics, so an
/// OpenTelemetry exporter can take the same instruments) and keeps, per instrument and tag set, counter sums,
/// the latest gauge value and a bounded window of histogram values.
/// </summary>
internal sealed class TelemetryCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);
    private readonly HashSet<string> _instruments = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public TelemetryCollector(TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Sensen.Edge", StringComparison.Ordinal))
            {
                lock (_gate)
                {
                    _instruments.Add(instrument.Name);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Whether any meter published this instrument (false: this build or configuration has no such stage).</summary>
    public bool Has(string instrument)
    {
        lock (_gate)
        {
            return _instruments.Contains(instrument);
        }
    }

    /// <summary>Observes the observable gauges and counters now, then returns every series of <paramref name="instrument"/>.</summary>
    public IReadOnlyList<MetricSeries> Series(string instrument)
    {
        lock (_gate)
        {
            return [.. _series.Values.Where(s => s.Instrument == instrument)];
        }
    }

    /// <summary>p50 and p95 of the histogram values recorded since the last call, over every matching series; null when none.</summary>
    public (double P50, double P95, int Count)? Percentiles(string instrument, Func<MetricSeries, bool>? filter = null)
    {
        double[] values;
        lock (_gate)
        {
            values = [.. _series.Values.Where(s => s.Instrument == instrument && (filter is null || filter(s))).SelectMany(s => s.DrainWindow())];
        }

        if (values.Length == 0)
        {
            return null;
        }

        Array.Sort(values);
        return (Rank(values, 0.50), Rank(values, 0.95), values.Length);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Asks the observable instruments for their values (before a report).</summary>
    public void Observe()
    {
        lock (_gate)
        {
            // Observable counters report their total: start from zero so the sum is the latest total.
            foreach (var series in _series.Values.Where(s => s.IsObservable))
            {
                series.ResetForObservation();
            }
        }

        _listener.RecordObservableInstruments();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            sorted[tag.Key] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        var key = instrument.Name + "|" + string.Join(",", sorted.Select(p => p.Key + "=" + p.Value));
        lock (_gate)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                series = new MetricSeries(instrument.Name, sorted, instrument.IsObservable);
                _series.Add(key, series);
            }

            series.Add(value, _time.GetUtcNow(), instrument is Histogram<double> or Histogram<long> or Histogram<int>);
        }
    }

    public void Dispose() => _listener.Dispose();
}
