namespace Sensen.Edge.Ingest;

/// <summary>The decoder a camera's ffmpeg runs with, and why it was chosen (logged, and printed by <c>probe</c>).</summary>
/// <param name="Kind">The acceleration used; <see cref="HardwareAcceleration.None"/> is software.</param>
/// <param name="Reason">Why, in words: "configured", "auto: no NVIDIA device (/dev/nvidia0 missing)"…</param>
internal sealed record DecoderChoice(HardwareAcceleration Kind, string Reason)
{
    public static DecoderChoice Software(string reason) => new(HardwareAcceleration.None, reason);

    /// <summary>
    /// For <see cref="HardwareAcceleration.Jetson"/>: the ffmpeg decoder family, <see cref="JetsonDecoders.Nvv4l2"/>
    /// (NVIDIA's L4T ffmpeg, NVDEC) or <see cref="JetsonDecoders.V4l2M2m"/> (ffmpeg's V4L2 mem2mem wrapper); the
    /// codec name is <c>CODEC_FAMILY</c>. Null otherwise.
    /// </summary>
    public string? DecoderFamily { get; init; }

    public bool IsHardware => Kind != HardwareAcceleration.None;

    public string Name => Kind switch
    {
        HardwareAcceleration.None => "software",
        HardwareAcceleration.Cuda => "cuda (NVDEC)",
        HardwareAcceleration.Vaapi => "vaapi",
        HardwareAcceleration.Jetson => $"jetson ({DecoderFamily ?? JetsonDecoders.Nvv4l2})",
        _ => Kind.ToString(),
    };

    public override string ToString() => $"{Name} ({Reason})";
}
