namespace Sensen.Edge.Ingest;

/// <summary>
/// Turns the configured <c>hwaccel</c> into the decoder ffmpeg will use, given what the machine has.
/// Pure: <see cref="HardwareProbe"/> gathers the facts, this decides. A requested accelerator that is
/// missing falls back to software with the reason, so a camera keeps working on a unit whose GPU
/// driver broke (the reason is logged at warning; the operator sees it in the status).
/// </summary>
internal static class HwaccelResolver
{
    public const string NvidiaDevice = "/dev/nvidia0";
    public const string RenderNode = "/dev/dri/renderD128";
    public const string JetsonH264Decoder = "h264_nvv4l2dec";
    public const string V4l2M2mH264Decoder = "h264_v4l2m2m";

    public static DecoderChoice Resolve(HardwareAcceleration requested, HardwareCapabilities caps)
    {
        switch (requested)
        {
            case HardwareAcceleration.None:
                return DecoderChoice.Software("configured");
            case HardwareAcceleration.Auto:
                foreach (var candidate in new[] { HardwareAcceleration.Jetson, HardwareAcceleration.Cuda, HardwareAcceleration.Vaapi })
                {
                    if (Missing(candidate, caps) is null)
                    {
                        return Chosen(candidate, caps, "auto: " + Found(candidate, caps));
                    }
                }

                return DecoderChoice.Software("auto: " + string.Join("; ", new[] { HardwareAcceleration.Jetson, HardwareAcceleration.Cuda, HardwareAcceleration.Vaapi }
                    .Select(c => Missing(c, caps))));
            default:
                return Missing(requested, caps) is { } why
                    ? DecoderChoice.Software($"{requested.ToString().ToLowerInvariant()} configured but unavailable: {why}")
                    : Chosen(requested, caps, "configured");
        }
    }

    /// <summary>Why <paramref name="kind"/> cannot be used here, or null when it can.</summary>
    public static string? Missing(HardwareAcceleration kind, HardwareCapabilities caps) => kind switch
    {
        HardwareAcceleration.Cuda when !caps.Hwaccels.Contains("cuda") => "ffmpeg has no cuda hwaccel",
        HardwareAcceleration.Cuda when !caps.Devices.Contains(NvidiaDevice) => $"no NVIDIA device ({NvidiaDevice} missing)",
        HardwareAcceleration.Vaapi when !caps.Hwaccels.Contains("vaapi") => "ffmpeg has no vaapi hwaccel",
        HardwareAcceleration.Vaapi when !caps.Devices.Contains(RenderNode) => $"no VA-API render node ({RenderNode} missing)",
        // Debian's ffmpeg has no nvv4l2 decoders; NVIDIA's L4T ffmpeg build does (docs/INGEST.md). Its V4L2 mem2mem
        // wrapper is in every Linux ffmpeg, so it counts only with a mem2mem device to drive.
        HardwareAcceleration.Jetson when JetsonFamily(caps) is null => caps.Decoders.Contains(V4l2M2mH264Decoder)
            ? $"ffmpeg has no {JetsonH264Decoder} decoder (not a Jetson build of ffmpeg) and no V4L2 mem2mem device for {V4l2M2mH264Decoder}"
            : $"ffmpeg has no {JetsonH264Decoder} decoder (not a Jetson build of ffmpeg) nor {V4l2M2mH264Decoder}",
        HardwareAcceleration.Cuda or HardwareAcceleration.Vaapi or HardwareAcceleration.Jetson => null,
        _ => "not a hardware decoder",
    };

    /// <summary>
    /// The Jetson decoder family this machine offers: NVIDIA's nvv4l2 decoders first (NVDEC, the L4T ffmpeg), else
    /// ffmpeg's V4L2 mem2mem wrapper when a mem2mem device exists; null when neither.
    /// </summary>
    public static string? JetsonFamily(HardwareCapabilities caps) =>
        caps.Decoders.Contains(JetsonH264Decoder) ? JetsonDecoders.Nvv4l2
        : caps.Decoders.Contains(V4l2M2mH264Decoder) && caps.M2mDevices.Count > 0 ? JetsonDecoders.V4l2M2m
        : null;

    private static DecoderChoice Chosen(HardwareAcceleration kind, HardwareCapabilities caps, string reason) =>
        new(kind, reason) { DecoderFamily = kind == HardwareAcceleration.Jetson ? JetsonFamily(caps) : null };

    private static string Found(HardwareAcceleration kind, HardwareCapabilities caps) => kind switch
    {
        HardwareAcceleration.Cuda => $"cuda hwaccel and {NvidiaDevice} present",
        HardwareAcceleration.Vaapi => $"vaapi hwaccel and {RenderNode} present",
        _ when JetsonFamily(caps) == JetsonDecoders.V4l2M2m => $"{V4l2M2mH264Decoder} decoder and V4L2 mem2mem device {caps.M2mDevices[0]} present",
        _ => $"{JetsonH264Decoder} decoder present",
    };
}
