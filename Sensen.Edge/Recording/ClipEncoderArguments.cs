using System.Globalization;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Recording;

/// <summary>
/// ffmpeg's arguments for one clip: raw bgr24 frames on stdin, H.264 in fragmented MP4 on stdout. Fragmented
/// (<c>-movflags frag_keyframe+empty_moov+default_base_moof</c>) because a plain MP4 needs a seekable output to
/// write its index at the end; a fragmented one streams to a pipe, so nothing ever touches a file.
/// </summary>
internal static class ClipEncoderArguments
{
    /// <summary>The ffmpeg name of an encoder (<c>libx264</c>, <c>h264_nvenc</c>, ...).</summary>
    public static string Name(ClipEncoder encoder) => encoder == ClipEncoder.Auto
        ? throw new ArgumentException("auto is resolved by probing first", nameof(encoder))
        : SnakeCase.From(encoder.ToString());

    public static IReadOnlyList<string> Build(ClipEncoder encoder, int width, int height, double fps, int quality)
    {
        var c = CultureInfo.InvariantCulture;
        var args = new List<string> { "-hide_banner", "-loglevel", "error" };
        if (encoder == ClipEncoder.H264Vaapi)
        {
            args.AddRange(["-init_hw_device", "vaapi=va:/dev/dri/renderD128", "-filter_hw_device", "va"]);
        }

        args.AddRange([
            "-f", "rawvideo", "-pix_fmt", "bgr24", "-video_size", string.Create(c, $"{width}x{height}"),
            "-framerate", fps.ToString("0.###", c), "-i", "pipe:0", "-an", "-c:v", Name(encoder)]);

        // One keyframe a second: each fragment starts at one, so a damaged tail loses at most a second.
        var gop = Math.Max(1, (int)Math.Round(fps)).ToString(c);
        switch (encoder)
        {
            case ClipEncoder.Libx264:
                args.AddRange(["-preset", "veryfast", "-crf", quality.ToString(c), "-pix_fmt", "yuv420p", "-g", gop]);
                break;
            case ClipEncoder.H264Nvenc:
                args.AddRange(["-preset", "p4", "-rc", "vbr", "-cq", quality.ToString(c), "-b:v", "0", "-pix_fmt", "yuv420p", "-g", gop]);
                break;
            case ClipEncoder.H264Vaapi:
                args.AddRange(["-vf", "format=nv12,hwupload", "-qp", quality.ToString(c), "-g", gop]);
                break;
            case ClipEncoder.H264V4l2m2m:
                // The V4L2 mem-to-mem encoders take a bit rate, not a quality target.
                args.AddRange(["-pix_fmt", "yuv420p", "-b:v", "4M", "-g", gop]);
                break;
        }

        args.AddRange(["-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "pipe:1"]);
        return args;
    }
}
