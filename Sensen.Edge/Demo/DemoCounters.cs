using System.Diagnostics.Metrics;

namespace Sensen.Edge.Demo;

/// <summary>
/// What the daemon did, read from its own meters (System.Diagnostics.Metrics, the instruments docs/TELEMETRY.md
/// lists) with a <see cref="MeterListener"/>: the demo's progress lines and summary count what the daemon counts.
/// </summary>
internal sealed class DemoCounters : IDisposable
{
    private static readonly HashSet<string> Instruments = new(StringComparer.Ordinal)
    {
        "sensen.edge.pipeline.frames_ended",
        "sensen.edge.pipeline.frames_dropped",
        "sensen.edge.rules.events",
        "sensen.edge.recording.clips",
        "sensen.edge.privacy.regions_obscured",
        "sensen.edge.privacy.frames_masked_whole",
        "sensen.uplink.acks",
        "sensen.vault.deleted",
    };

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public DemoCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Instruments.Contains(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(Key(instrument.Name, tags), value));
        _listener.Start();
    }

    public long FramesAnalysed => Get("sensen.edge.pipeline.frames_ended|analysed=True");

    public long FramesNotAnalysed => Get("sensen.edge.pipeline.frames_ended|analysed=False");

    public long FramesDropped => Sum("sensen.edge.pipeline.frames_dropped|");

    public long ClipsSealed => Get("sensen.edge.recording.clips|outcome=sealed");

    public long ClipsFailed => Get("sensen.edge.recording.clips|outcome=failed") + Get("sensen.edge.recording.clips|outcome=abandoned");

    /// <summary>Faces and head regions obscured on clip frames (a region counts on every frame it is obscured on).</summary>
    public long FacesObscured => Get("sensen.edge.privacy.regions_obscured|kind=face") + Get("sensen.edge.privacy.regions_obscured|kind=head");

    public long PlatesObscured => Get("sensen.edge.privacy.regions_obscured|kind=plate");

    public long FramesMaskedWhole => Sum("sensen.edge.privacy.frames_masked_whole|");

    /// <summary>Verified acks that deleted an item.</summary>
    public long Acknowledged => Get("sensen.uplink.acks|outcome=deleted");

    public long DeletedAfterAck => Get("sensen.vault.deleted|reason=acknowledged");

    /// <summary>Violation events raised, per rule id.</summary>
    public IReadOnlyDictionary<string, long> Violations
    {
        get
        {
            const string prefix = "sensen.edge.rules.events|rule=";
            lock (_gate)
            {
                return _counts.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                    .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
            }
        }
    }

    private static string Key(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // One tag tells the series apart for each instrument read here; the camera tag is left out (the demo has one camera).
        foreach (var tag in tags)
        {
            if (tag.Key is "analysed" or "rule" or "outcome" or "kind" or "reason")
            {
                return $"{name}|{tag.Key}={tag.Value}";
            }
        }

        return name + "|";
    }

    private void Add(string key, long value)
    {
        lock (_gate)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + value;
        }
    }

    private long Get(string key)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault(key);
        }
    }

    private long Sum(string prefix)
    {
        lock (_gate)
        {
            return _counts.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
