using System.Diagnostics.Metrics;

namespace Sensen.Edge.Privacy;

/// <summary>
/// Meter <c>Sensen.Edge.Privacy</c>: frames of clips masked whole by reason (fail closed) and regions
/// obscured by kind, both tagged by camera.
/// </summary>
internal sealed class PrivacyMetrics : IDisposable
{
    public const string MeterName = "Sensen.Edge.Privacy";

    private readonly Meter _meter;
    private readonly Counter<long> _maskedWhole;
    private readonly Counter<long> _regions;

    public PrivacyMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _maskedWhole = _meter.CreateCounter<long>("sensen.edge.privacy.frames_masked_whole", description: "Clip frames blanked whole because the clip path could not anonymise them, tagged by camera and reason (not_analysed, model_failed, look_ahead_cut)");
        _regions = _meter.CreateCounter<long>("sensen.edge.privacy.regions_obscured", description: "Regions obscured on clip frames, tagged by camera and kind (face, head, plate)");
    }

    public void FrameMaskedWhole(string camera, string reason) =>
        _maskedWhole.Add(1, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("reason", reason));

    public void RegionsObscured(string camera, RegionKind kind, int count)
    {
        if (count > 0)
        {
            _regions.Add(count, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("kind", KindName(kind)));
        }
    }

    public static string KindName(RegionKind kind) => kind switch
    {
        RegionKind.Face => "face",
        RegionKind.Head => "head",
        _ => "plate",
    };

    public void Dispose() => _meter.Dispose();
}
