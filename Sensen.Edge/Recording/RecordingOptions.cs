using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Recording;

/// <summary>Violation clips: how much before and after the event, and how they are encoded.</summary>
internal sealed record RecordingOptions
{
    [Range(0, 30)]
    public double PreRollSeconds { get; init; } = 5;

    /// <summary>
    /// Most RAM one camera's frame buffers may take: the frames the pipeline holds at once plus the pre-roll
    /// ring, at the analysis size (Pipeline/FrameBudget). A camera that needs more is refused at
    /// check-config, so the unit cannot run out of memory in its frame buffers. The default fits 1080p at
    /// 10 fps with 5 s of pre-roll (362 MiB).
    /// </summary>
    [Range(16, 65_536)]
    public int FrameMemoryMegabytesPerCamera { get; init; } = 512;

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
