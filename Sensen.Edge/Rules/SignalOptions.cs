namespace Sensen.Edge.Rules;

/// <summary>Traffic-signal state for red-light rules: a lamp region in the image, or an MQTT topic.</summary>
internal sealed record SignalOptions
{
    /// <summary>The red lamp's region, normalised coordinates.</summary>
    public IReadOnlyList<NormalizedPoint> RedLampPolygon { get; init; } = [];

    /// <summary>MQTT topic publishing the phase (<c>red</c>, <c>amber</c>, <c>green</c>) instead of the image.</summary>
    public string? Topic { get; init; }
}
