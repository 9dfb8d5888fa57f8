namespace Sensen.Edge.Ingest;

/// <summary>The decoder a camera's ffmpeg runs with, and why it was chosen (logged, and printed by <c>probe</c>).</summary>
/// <param name="Kind">The acceleration used; <see cref="HardwareAcceleration.None"/> is software.</param>
/// <param name="Reason">Why, in words: "configured", "auto: no NVIDIA device (/dev/nvidia0 missing)"…</param>
internal sealed record DecoderChoice(HardwareAcceleration Kind, string Reason)
{
    public static DecoderChoice Software(string reason) => new(HardwareAcceleration.None, reason);

    public bool IsHardware => Kind != HardwareAcceleration.None;

    public string Name => Kind switch
    {
        HardwareAcceleration.None => "software",
        HardwareAcceleration.Cuda => "cuda (NVDEC)",
        HardwareAcceleration.Vaapi => "vaapi",
        HardwareAcceleration.Jetson => "jetson (nvv4l2dec)",
        _ => Kind.ToString(),
    };

    public override string ToString() => $"{Name} ({Reason})";
}
