namespace Sensen.Edge.Recording;

/// <summary>The clip encoder (docs/RECORDING.md, "Encoder"): <c>auto</c> probes the hardware encoders and falls back to libx264.</summary>
internal enum ClipEncoder
{
    Auto,
    Libx264,
    H264Nvenc,
    H264Vaapi,
    H264V4l2m2m,
}
