namespace Sensen.Edge.Recording;

internal enum ClipEncoder
{
    Auto,
    Libx264,
    H264Nvenc,
    H264Vaapi,
}
