using System.Globalization;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Ingest;

/// <summary>
/// Builds ffmpeg's argv for a frame source. Pure, and pinned by tests, so the presets stay correct
/// on machines where they cannot run (no GPU here). Options are from ffmpeg 5.1's documentation
/// (ffmpeg-formats "rtsp", ffmpeg "Advanced Video options", ffmpeg-filters "fps", "scale").
/// </summary>
internal static class FfmpegArguments
{
    public static IReadOnlyList<string> Build(FrameSourceRequest request)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostats",
            // level+ prefixes each line with [error]/[warning]/…; verbose adds the filter-graph
            // configuration lines that reveal a resolution change (FfmpegLogParser), and nothing per frame.
            "-loglevel", "level+verbose",
        };

        var url = request.Url;
        if (url.IsFile)
        {
            if (request.Replay == ReplayPace.Realtime)
            {
                args.Add("-re");
            }

            if (request.Loop)
            {
                args.AddRange(["-stream_loop", "-1"]);
            }
        }
        else
        {
            // rtsps:// carries the media interleaved in the TLS connection, so it is always TCP.
            var transport = url.Scheme == "rtsps" || request.Transport == RtspTransport.Tcp ? "tcp" : "udp";
            args.AddRange(["-rtsp_transport", transport]);
            // Socket I/O timeout in microseconds (ffmpeg-formats, rtsp "timeout").
            args.AddRange(["-timeout", ((long)request.IoTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(DecoderArguments(request.Decoder, request.KnownCodec));
        args.AddRange(["-i", CameraUrl.ForFfmpeg(url, request.Credential)]);
        args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn"]);
        args.AddRange(["-vf", Filter(request.Fps, request.Width, request.Height)]);
        args.AddRange(["-f", "rawvideo", "-pix_fmt", PixelFormats.FfmpegName(request.Format), "pipe:1"]);
        return args;
    }

    /// <summary>
    /// Input options that select the decoder. Without <c>-hwaccel_output_format</c> ffmpeg copies
    /// decoded surfaces back to system memory, which the raw pipe needs.
    /// </summary>
    public static IReadOnlyList<string> DecoderArguments(DecoderChoice decoder, string? codec) => decoder.Kind switch
    {
        HardwareAcceleration.Cuda => ["-hwaccel", "cuda"],
        HardwareAcceleration.Vaapi => ["-hwaccel", "vaapi", "-hwaccel_device", HwaccelResolver.RenderNode],
        // NVIDIA's L4T ffmpeg exposes the Jetson decoder as a codec, one per format; so does ffmpeg's V4L2 mem2mem
        // wrapper (h264_v4l2m2m), which finds its /dev/videoN itself and returns frames in system memory.
        HardwareAcceleration.Jetson => ["-c:v", JetsonDecoders.For(decoder.DecoderFamily ?? JetsonDecoders.Nvv4l2, codec)],
        _ => [],
    };

    /// <summary>
    /// Rate first, then size: dropping frames before scaling saves the scaler's work. The fps filter
    /// emits a constant rate, which is why a frame's pts is its index times the interval.
    /// </summary>
    public static string Filter(double? fps, int width, int height)
    {
        var scale = string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}");
        return fps is { } f ? string.Create(CultureInfo.InvariantCulture, $"fps={f},{scale}") : scale;
    }
}
