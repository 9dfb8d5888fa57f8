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

    /// <summary>
    /// Most RAM (MiB) one camera's open clips may take for the frames waiting for the clip path: each frame that
    /// joins a clip is copied out of the frame pool into this memory, so a slow clip path can never hold pool
    /// buffers and make the live path drop frames. When it is full the clip is cut (sealed with what it has,
    /// the loss counted), never a live frame dropped. At least the pre-roll plus the look-ahead plus one frame
    /// (validated); the default holds 64 frames of 1080p.
    /// </summary>
    [Range(16, 65_536)]
    public int ClipMemoryMegabytesPerCamera { get; init; } = 384;

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
