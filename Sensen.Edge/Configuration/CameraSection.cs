using Sensen.Edge.Ingest;
using Sensen.Edge.Rules;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Configuration;

/// <summary>
/// One entry of <c>cameras:</c>. The file keeps one mapping per camera, but each stage owns its half:
/// ingest the stream keys (<see cref="CameraOptions"/>), rules the zones, lines and rules
/// (<see cref="CameraRulesOptions"/>), tracking its <c>tracking:</c> mapping. The first two are
/// <see cref="InlineAttribute"/>, so their keys sit side by side.
/// </summary>
internal sealed record CameraSection
{
    [Inline]
    public CameraOptions Ingest { get; init; } = new();

    [Inline]
    public CameraRulesOptions Rules { get; init; } = new();

    /// <summary>The camera's tracker settings (<c>cameras[i].tracking</c>).</summary>
    public TrackingOptions Tracking { get; init; } = new();

    /// <summary>The camera's id (ingest owns the key; every stage names the camera by it).</summary>
    public string Id => Ingest.Id;
}
