using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>ffmpeg's argv, pinned: the GPU presets cannot run on these machines, so their shape is checked here.</summary>
public sealed class FfmpegArgumentsTests
{
    private static readonly string[] RtspsOverTcp = ["-rtsp_transport", "tcp", "rtsps://cam:322/s"];
    private static readonly string[] Head = ["-hide_banner", "-nostats", "-loglevel", "level+verbose"];
    private static readonly string[] Tail = ["-map", "0:v:0", "-an", "-sn", "-dn", "-vf", "fps=10,scale=1280:720", "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"];

    private static FrameSourceRequest Request(string url) => new()
    {
        CameraId = "gate",
        Url = new Uri(url),
        Fps = 10,
        Width = 1280,
        Height = 720,
        IoTimeout = TimeSpan.FromSeconds(5),
    };

    [Test]
    public void Build_RtspDefaults_TcpTimeoutSoftwareDecode()
    {
        var args = FfmpegArguments.Build(Request("rtsp://10.0.0.7:554/stream1"));

        Assert.That(args, Is.EqualTo(Head.Concat(["-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://10.0.0.7:554/stream1"]).Concat(Tail)));
    }

    [Test]
    public void Build_Udp_UdpTransport() =>
        Assert.That(FfmpegArguments.Build(Request("rtsp://cam/s") with { Transport = RtspTransport.Udp }), Does.Contain("udp").And.Not.Contain("tcp"));

    [Test]
    public void Build_RtspsWithUdpConfigured_StillTcp() =>
        Assert.That(FfmpegArguments.Build(Request("rtsps://cam:322/s") with { Transport = RtspTransport.Udp }), Is.SupersetOf(RtspsOverTcp));

    [TestCase("Cuda", null, new[] { "-hwaccel", "cuda" })]
    [TestCase("Vaapi", null, new[] { "-hwaccel", "vaapi", "-hwaccel_device", "/dev/dri/renderD128" })]
    [TestCase("Jetson", null, new[] { "-c:v", "h264_nvv4l2dec" })]
    [TestCase("Jetson", "hevc", new[] { "-c:v", "hevc_nvv4l2dec" })]
    [TestCase("Jetson:v4l2m2m", null, new[] { "-c:v", "h264_v4l2m2m" })]
    [TestCase("Jetson:v4l2m2m", "hevc", new[] { "-c:v", "hevc_v4l2m2m" })]
    [TestCase("None", null, new string[0])]
    public void Build_Decoder_PresetRightBeforeInput(string kind, string? codec, string[] preset)
    {
        var parts = kind.Split(':');
        var decoder = new DecoderChoice(Enum.Parse<HardwareAcceleration>(parts[0]), "test") { DecoderFamily = parts.Length > 1 ? parts[1] : null };
        var args = FfmpegArguments.Build(Request("rtsp://cam/s") with { Decoder = decoder, KnownCodec = codec }).ToList();

        var input = args.IndexOf("-i");
        Assert.That(args.Skip(input - preset.Length).Take(preset.Length), Is.EqualTo(preset));
        Assert.That(args, Does.Not.Contain("-hwaccel_output_format"), "frames must come back to system memory for the pipe");
    }

    [Test]
    public void Build_ReplayRealtimeLoop_ReAndStreamLoopLocalPath()
    {
        var args = FfmpegArguments.Build(Request("file:///var/clips/junction.mp4") with { Replay = ReplayPace.Realtime, Loop = true });

        Assert.That(args, Is.EqualTo(Head.Concat(["-re", "-stream_loop", "-1", "-i", "/var/clips/junction.mp4"]).Concat(Tail)));
    }

    [Test]
    public void Build_ReplayFast_NoReNoLoop()
    {
        var args = FfmpegArguments.Build(Request("file:///var/clips/junction.mp4") with { Replay = ReplayPace.Fast });

        Assert.That(args, Does.Not.Contain("-re").And.Not.Contain("-stream_loop").And.Not.Contain("-rtsp_transport"));
    }

    [Test]
    public void Build_Credential_PercentEncodedInTheInputUrlOnly()
    {
        var args = FfmpegArguments.Build(Request("rtsp://10.0.0.7:554/stream1") with { Credential = new CameraCredential("ad min", "p@ss:w/rd%") });

        Assert.That(args[args.ToList().IndexOf("-i") + 1], Is.EqualTo("rtsp://ad%20min:p%40ss%3Aw%2Frd%25@10.0.0.7:554/stream1"));
        Assert.That(args.Count(a => a.Contains("p%40ss", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void Build_NoFps_ScaleOnly() =>
        Assert.That(FfmpegArguments.Build(Request("rtsp://cam/s") with { Fps = null, Width = 160, Height = 120 }), Does.Contain("scale=160:120"));

    [Test]
    public void Filter_FractionalFps_InvariantCulture() =>
        Assert.That(FfmpegArguments.Filter(12.5, 640, 360), Is.EqualTo("fps=12.5,scale=640:360"));

    [Test]
    public void FrameBytes_Bgr24_ThreeBytesPerPixel() =>
        Assert.That(Request("rtsp://cam/s").FrameBytes, Is.EqualTo(PixelFormats.FrameBytes(PixelFormat.Bgr24, 1280, 720)).And.EqualTo(1280 * 720 * 3));
}
