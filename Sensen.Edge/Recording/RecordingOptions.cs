using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Recording;

/// <summary>Violation clips: how much before and after the event, and how they are encoded.</summary>
internal sealed record RecordingOptions
{
    [Range(0, 30)]
    public double PreRollSeconds { get; init; } = 5;

    [Range(0, 60)]
    public double PostRollSeconds { get; init; } = 5;

    [Range(1, 300)]
    public double MaxClipSeconds { get; init; } = 60;

    /// <summary>Encoder: <c>auto</c> picks a hardware encoder when one works, else libx264.</summary>
    public ClipEncoder Encoder { get; init; } = ClipEncoder.Auto;

    /// <summary>Constant rate factor / quality target for the clip encoder.</summary>
    [Range(0, 51)]
    public int Quality { get; init; } = 23;
}
