using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Demo;

/// <summary>
/// What the daemon did, read from its own meters (System.Diagnostics.Metrics, the instruments docs/TELEMETRY.md
/// lists) through the same <see cref="TelemetryCollector"/> telemetry uses: the demo's progress lines and summary
/// count what the daemon counts. Counter sums over every series of a tag value (the demo has one camera).
/// </summary>
internal sealed class DemoCounters : IDisposable
{
    private readonly TelemetryCollector _collector = new(TimeProvider.System);

    public long FramesAnalysed => Sum("sensen.edge.pipeline.frames_ended", "analysed", "True");

    public long FramesNotAnalysed => Sum("sensen.edge.pipeline.frames_ended", "analysed", "False");

    public long FramesDropped => Sum("sensen.edge.pipeline.frames_dropped");

    public long ClipsSealed => Sum("sensen.edge.recording.clips", "outcome", "sealed");

    public long ClipsFailed => Sum("sensen.edge.recording.clips", "outcome", "failed") + Sum("sensen.edge.recording.clips", "outcome", "abandoned");

    /// <summary>Faces and head regions obscured on clip frames (a region counts on every frame it is obscured on).</summary>
    public long FacesObscured => Sum("sensen.edge.privacy.regions_obscured", "kind", "face") + Sum("sensen.edge.privacy.regions_obscured", "kind", "head");

    public long PlatesObscured => Sum("sensen.edge.privacy.regions_obscured", "kind", "plate");

    public long FramesMaskedWhole => Sum("sensen.edge.privacy.frames_masked_whole");

    /// <summary>Verified acks that deleted an item.</summary>
    public long Acknowledged => Sum(TelemetryReporter.UplinkAcks, "outcome", "deleted");

    public long DeletedAfterAck => Sum("sensen.vault.deleted", "reason", "acknowledged");

    /// <summary>Violation events raised, per rule id.</summary>
    public IReadOnlyDictionary<string, long> Violations =>
        _collector.Series("sensen.edge.rules.events")
            .Where(s => s.Tag("rule") is not null)
            .GroupBy(s => s.Tag("rule")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Sum(s => s.Sum), StringComparer.Ordinal);

    private long Sum(string instrument, string? tag = null, string? value = null) =>
        (long)_collector.Series(instrument).Where(s => tag is null || s.Tag(tag) == value).Sum(s => s.Sum);

    public void Dispose() => _collector.Dispose();
}
