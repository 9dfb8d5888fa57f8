using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>ffmpeg 5.1's stderr, recorded from the real cases (<c>-loglevel level+verbose</c>), classified.</summary>
public sealed class FfmpegLogParserTests
{
    [TestCase("[tcp @ 0x55b2e7dba600] [error] Connection to tcp://127.0.0.1:18599?timeout=0 failed: Connection refused", "ConnectionRefused")]
    [TestCase("[error] rtsp://127.0.0.1:18599/cam: Connection refused", "ConnectionRefused")]
    [TestCase("[tcp @ 0x5632a486e600] [error] Failed to resolve hostname cam.example: Name or service not known", "UnknownHost")]
    [TestCase("[tcp @ 0x5632a486e600] [error] Failed to resolve hostname cam.example: Temporary failure in name resolution", "UnknownHost")]
    [TestCase("[rtsp @ 0x564d5ce6f9c0] [error] method DESCRIBE failed: 404 Not Found", "NotFound")]
    [TestCase("[error] rtsp://127.0.0.1:18554/nope: Server returned 404 Not Found", "NotFound")]
    [TestCase("[rtsp @ 0x5621a03a99c0] [error] method DESCRIBE failed: 401 Unauthorized", "Unauthorized")]
    [TestCase("[error] rtsp://***@127.0.0.1:18556/cam: Server returned 401 Unauthorized (authorization failed)", "Unauthorized")]
    [TestCase("[fatal] Stream map '0:v:0' matches no streams.", "NoVideo")]
    [TestCase("[error] Output file #0 does not contain any stream", "NoVideo")]
    [TestCase("[h264 @ 0x56007d8b4100] [error] error while decoding MB 10 4", "CorruptStream")]
    [TestCase("[h264 @ 0x56007d8b4100] [error] mb_skip_run 5785 is invalid", "CorruptStream")]
    [TestCase("[h264 @ 0x56007d8b4100] [error] out of range intra chroma pred mode", "CorruptStream")]
    [TestCase("[warning] rtsp://127.0.0.1:18558/cam: corrupt decoded frame in stream 0", "CorruptStream")]
    [TestCase("[h264 @ 0x55f0] [error] Invalid NAL unit size (1097 > 511).", "CorruptStream")]
    [TestCase("[error] /clips/cut.mp4: Invalid data found when processing input", "CorruptStream")]
    [TestCase("[error] rtsp://10.1.2.3/cam: Connection timed out", "Timeout")]
    [TestCase("[error] rtsp://cam/x: Connection reset by peer", "ConnectionLost")]
    [TestCase("[tls @ 0x55d] [error] The TLS connection was non-properly terminated.", "Tls")]
    [TestCase("[AVHWDeviceContext @ 0x55d] [error] cu->cuInit(0) failed -> CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected", null)]
    [TestCase("[error] Device creation failed: -542398533.", "HardwareDecoder")]
    [TestCase("[fatal] Failed to set value 'cuda' for option 'hwaccel': Generic error in an external library", "HardwareDecoder")]
    // Debian's ffmpeg 5.1 with -c:v h264_v4l2m2m on a machine without a mem2mem device, recorded here.
    [TestCase("[h264_v4l2m2m @ 0x555c560ccd40] [error] Could not find a valid device", "HardwareDecoder")]
    [TestCase("[info]   Stream #0:0 -> #0:0 (h264 (native) -> rawvideo (native))", null)]
    [TestCase("[rtsp @ 0x556c570749c0] [verbose] setting jitter buffer size to 0", null)]
    [TestCase("a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LADNoFB+wEQAAAAwBAAAAHg8UKqA==,aM4PyA==", null)]
    public void Classify_RecordedLine_Kind(string line, string? expected) =>
        Assert.That(FfmpegLogParser.Classify(FfmpegLogLine.Parse(line))?.ToString(), Is.EqualTo(expected));

    [Test]
    public void Parse_ContextAndLevel_Split()
    {
        var line = FfmpegLogLine.Parse("[h264 @ 0x556c57108e00] [verbose] Reinit context to 240x160, pix_fmt: yuv420p");

        Assert.That(line, Is.EqualTo(new FfmpegLogLine("h264", "verbose", "Reinit context to 240x160, pix_fmt: yuv420p")));
    }

    [TestCase("  Stream #0:0: Video: h264 (Constrained Baseline), 1 reference frame, yuv420p(progressive, left), 320x240 [SAR 1:1 DAR 4:3], 15 fps, 15 tbr, 90k tbn", "h264", "Constrained Baseline", 320, 240, 15.0)]
    [TestCase("  Stream #0:1(und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, bt709), 1920x1080, 4012 kb/s, 25 fps, 25 tbr, 90k tbn (default)", "hevc", "Main", 1920, 1080, 25.0)]
    [TestCase("  Stream #0:0[0x100]: Video: h264 (High) ([27][0][0][0] / 0x001B), yuv420p(progressive), 2560x1440, 29.97 fps, 29.97 tbr, 90k tbn", "h264", "High", 2560, 1440, 29.97)]
    [TestCase("  Stream #0:0: Video: mjpeg, yuvj422p(pc, bt470bg/unknown/unknown), 640x480, 90k tbr, 90k tbn", "mjpeg", null, 640, 480, null)]
    public void TryParseVideoStream_InputStreamLine_CodecSizeFps(string text, string codec, string? profile, int width, int height, double? fps)
    {
        Assert.That(FfmpegLogParser.TryParseVideoStream(text.Trim(), out var stream), Is.True);
        Assert.That(stream, Is.EqualTo(new StreamInfo(codec, profile, width, height, fps)));
    }

    [Test]
    public void TryParseVideoStream_AudioStream_False() =>
        Assert.That(FfmpegLogParser.TryParseVideoStream("Stream #0:0: Audio: opus, 48000 Hz, stereo, fltp", out _), Is.False);

    [Test]
    public void Feed_RecordedRun_StreamFromInputSectionOnly()
    {
        var parser = new FfmpegLogParser();
        foreach (var line in RecordedResolutionChange.Take(9))
        {
            parser.Feed(line);
        }

        Assert.That(parser.Stream, Is.EqualTo(new StreamInfo("h264", "Constrained Baseline", 320, 240, 15)));
        Assert.That(parser.Fatal, Is.Null);
    }

    [Test]
    public void Feed_SecondFilterGraphWithAnotherSize_ResolutionChangedOnce()
    {
        var parser = new FfmpegLogParser();

        var diagnostics = RecordedResolutionChange.Select(parser.Feed).OfType<FfmpegDiagnostic>().ToList();

        Assert.That(diagnostics.Select(d => d.Kind), Is.EqualTo(new[] { DiagnosticKind.ResolutionChanged }));
        Assert.That(diagnostics[0].Line, Is.EqualTo("picture size changed from 320x240 to 240x160"));
        Assert.That((parser.Stream!.Width, parser.Stream.Height), Is.EqualTo((240, 160)));
    }

    [Test]
    public void Feed_RefusedThenGenericFailure_FatalIsTheFirstCause()
    {
        var parser = new FfmpegLogParser();
        parser.Feed("[tcp @ 0x55b2e7dba600] [error] Connection to tcp://127.0.0.1:18599?timeout=0 failed: Connection refused");
        parser.Feed("[error] rtsp://127.0.0.1:18599/cam: Connection timed out");

        Assert.That(parser.Fatal, Is.EqualTo(DiagnosticKind.ConnectionRefused));
    }

    [Test]
    public void Feed_DecodeErrors_NotFatal()
    {
        var parser = new FfmpegLogParser();
        var diagnostic = parser.Feed("[h264 @ 0x56007d8b4100] [error] error while decoding MB 10 4");

        Assert.That(diagnostic?.Kind, Is.EqualTo(DiagnosticKind.CorruptStream));
        Assert.That(parser.Fatal, Is.Null);
    }

    private static readonly string[] RecordedResolutionChange =
    [
        "[h264 @ 0x556c570794c0] [verbose] Reinit context to 320x240, pix_fmt: yuv420p",
        "[info] Input #0, rtsp, from 'rtsp://127.0.0.1:18557/cam':",
        "[info]   Metadata:",
        "[info]     title           : Session streamed with GStreamer",
        "[info]   Duration: 00:00:30.00, start: 0.067000, bitrate: N/A",
        "[info]   Stream #0:0: Video: h264 (Constrained Baseline), 1 reference frame, yuv420p(progressive, left), 320x240 [SAR 1:1 DAR 4:3], 15 fps, 15 tbr, 90k tbn",
        "[info] Stream mapping:",
        "[info]   Stream #0:0 -> #0:0 (h264 (native) -> rawvideo (native))",
        "[graph 0 input from stream 0:0 @ 0x556c570cdac0] [verbose] w:320 h:240 pixfmt:yuv420p tb:1/90000 fr:15/1 sar:1/1",
        "[info] Output #0, rawvideo, to 'pipe:':",
        "[info]   Stream #0:0: Video: rawvideo, 1 reference frame (BGR[24] / 0x18524742), bgr24(pc, gbr/unknown/unknown, progressive, left), 320x240 (0x0) [SAR 1:1 DAR 4:3], q=2-31, 18432 kb/s, 10 fps, 10 tbn",
        "[h264 @ 0x556c57108e00] [verbose] Reinit context to 240x160, pix_fmt: yuv420p",
        "[Parsed_fps_0 @ 0x556c570cc5c0] [verbose] 60 frames in, 39 frames out; 21 frames dropped, 0 frames duplicated.",
        "[graph 0 input from stream 0:0 @ 0x556c570cdbc0] [verbose] w:240 h:160 pixfmt:yuv420p tb:1/90000 fr:15/1 sar:1/1",
        "[scaler_out_0_0 @ 0x556c570cc740] [verbose] w:320 h:240 fmt:yuv420p sar:9/8 -> w:320 h:240 fmt:bgr24 sar:9/8 flags:0x0",
    ];
}
