using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Detection;

/// <summary>One detector: a model manifest plus the thresholds this installation uses with it.</summary>
internal sealed record DetectorOptions
{
    [Required]
    public string Id { get; init; } = "";

    /// <summary>Manifest name in the models directory (<c>models/NAME.yaml</c>).</summary>
    [Required]
    public string Model { get; init; } = "";

    /// <summary>Overrides the manifest's default confidence threshold.</summary>
    [Range(0.0, 1.0)]
    public double? Confidence { get; init; }

    /// <summary>Overrides the manifest's default NMS IoU threshold.</summary>
    [Range(0.0, 1.0)]
    public double? IouThreshold { get; init; }

    /// <summary>Cameras this detector runs on; all cameras when empty.</summary>
    public IReadOnlyList<string> Cameras { get; init; } = [];
}
