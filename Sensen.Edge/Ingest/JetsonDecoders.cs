namespace Sensen.Edge.Ingest;

/// <summary>
/// The two ffmpeg decoder families the <c>jetson</c> preset can use, as codec-name suffixes (<c>h264_nvv4l2dec</c>,
/// <c>hevc_v4l2m2m</c>). NVIDIA's L4T ffmpeg (JetPack) provides <see cref="Nvv4l2"/> on NVDEC; upstream ffmpeg,
/// Debian's included, provides <see cref="V4l2M2m"/>, which drives any V4L2 memory-to-memory hardware decoder.
/// </summary>
internal static class JetsonDecoders
{
    public const string Nvv4l2 = "nvv4l2dec";
    public const string V4l2M2m = "v4l2m2m";

    /// <summary>The decoder's name for a stream: H.265 streams get the hevc decoder once known, else h264.</summary>
    public static string For(string family, string? codec) => (codec is "hevc" ? "hevc" : "h264") + "_" + family;
}
