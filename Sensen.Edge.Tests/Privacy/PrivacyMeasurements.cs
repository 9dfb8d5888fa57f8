using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sensen.Edge.Privacy;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>Listens to the privacy meter and sums each counter by its non-camera tag, for one camera only (tests run in parallel).</summary>
internal sealed class PrivacyMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new(StringComparer.Ordinal);

    public PrivacyMeasurements(string camera)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PrivacyMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? cam = null, other = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "camera")
                {
                    cam = tag.Value as string;
                }
                else
                {
                    other = $"{tag.Key}={tag.Value}";
                }
            }

            if (cam == camera)
            {
                _sums.AddOrUpdate($"{instrument.Name}{{{other}}}", value, (_, sum) => sum + value);
            }
        });
        _listener.Start();
    }

    /// <summary>e.g. <c>this["sensen.edge.privacy.frames_masked_whole{reason=model_failed}"]</c>; 0 when never measured.</summary>
    public long this[string key] => _sums.GetValueOrDefault(key);

    public void Dispose() => _listener.Dispose();
}
