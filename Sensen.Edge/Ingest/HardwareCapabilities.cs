namespace Sensen.Edge.Ingest;

/// <summary>What this machine's ffmpeg and devices offer for decoding, as <see cref="HardwareProbe"/> found it.</summary>
/// <param name="Hwaccels">Names from <c>ffmpeg -hwaccels</c> (built in; says nothing about a device being present).</param>
/// <param name="Decoders">Decoder names from <c>ffmpeg -decoders</c> that matter here (e.g. <c>h264_nvv4l2dec</c>).</param>
/// <param name="Devices">Device nodes that exist (e.g. <c>/dev/nvidia0</c>, <c>/dev/dri/renderD128</c>).</param>
internal sealed record HardwareCapabilities(IReadOnlySet<string> Hwaccels, IReadOnlySet<string> Decoders, IReadOnlySet<string> Devices)
{
    public static HardwareCapabilities None { get; } = new(new HashSet<string>(), new HashSet<string>(), new HashSet<string>());

    /// <summary>
    /// V4L2 memory-to-memory devices (<c>/dev/videoN</c> whose VIDIOC_QUERYCAP reports M2M), as "path (card)": the
    /// hardware codecs that ffmpeg's <c>h264_v4l2m2m</c> decoder drives on arm64 boards. A camera or capture node
    /// is not listed.
    /// </summary>
    public IReadOnlyList<string> M2mDevices { get; init; } = [];
}
