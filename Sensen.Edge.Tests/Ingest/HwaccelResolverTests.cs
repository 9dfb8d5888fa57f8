using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

public sealed class HwaccelResolverTests
{
    private static readonly HardwareCapabilities DebianNoGpu = new(
        new HashSet<string> { "vdpau", "cuda", "vaapi", "qsv", "drm", "opencl", "vulkan" }, new HashSet<string> { "h264", "hevc" }, new HashSet<string>());

    private static readonly HardwareCapabilities DebianWithNvidia = DebianNoGpu with { Devices = new HashSet<string> { "/dev/nvidia0" } };

    [Test]
    public void Resolve_AutoWithoutDevices_SoftwareSayingWhy()
    {
        var choice = HwaccelResolver.Resolve(HardwareAcceleration.Auto, DebianNoGpu);

        Assert.That(choice.Kind, Is.EqualTo(HardwareAcceleration.None));
        Assert.That(choice.Reason, Does.Contain("/dev/nvidia0 missing").And.Contain("/dev/dri/renderD128 missing").And.Contain("h264_nvv4l2dec"));
    }

    [Test]
    public void Resolve_AutoWithNvidiaDevice_Cuda() =>
        Assert.That(HwaccelResolver.Resolve(HardwareAcceleration.Auto, DebianWithNvidia).Kind, Is.EqualTo(HardwareAcceleration.Cuda));

    [Test]
    public void Resolve_AutoWithRenderNode_Vaapi() =>
        Assert.That(HwaccelResolver.Resolve(HardwareAcceleration.Auto, DebianNoGpu with { Devices = new HashSet<string> { "/dev/dri/renderD128" } }).Kind, Is.EqualTo(HardwareAcceleration.Vaapi));

    [Test]
    public void Resolve_AutoOnJetsonBuild_Jetson() =>
        Assert.That(HwaccelResolver.Resolve(HardwareAcceleration.Auto, DebianNoGpu with { Decoders = new HashSet<string> { "h264_nvv4l2dec" } }).Kind, Is.EqualTo(HardwareAcceleration.Jetson));

    [Test]
    public void Resolve_JetsonOnDebianFfmpeg_SoftwareWithReason()
    {
        var choice = HwaccelResolver.Resolve(HardwareAcceleration.Jetson, DebianWithNvidia);

        Assert.That(choice.Kind, Is.EqualTo(HardwareAcceleration.None));
        Assert.That(choice.Reason, Is.EqualTo("jetson configured but unavailable: ffmpeg has no h264_nvv4l2dec decoder (not a Jetson build of ffmpeg) nor h264_v4l2m2m"));
    }

    // Debian's ffmpeg lists h264_v4l2m2m on every machine (recorded: `ffmpeg -decoders`, ffmpeg 5.1 on x86-64).
    private static readonly HardwareCapabilities DebianWithM2mWrapper = DebianNoGpu with { Decoders = new HashSet<string> { "h264", "hevc", "h264_v4l2m2m", "hevc_v4l2m2m" } };

    [Test]
    public void Resolve_JetsonWithM2mWrapperButNoDevice_SoftwareWithReason()
    {
        var choice = HwaccelResolver.Resolve(HardwareAcceleration.Jetson, DebianWithM2mWrapper);

        Assert.That(choice, Is.EqualTo(DecoderChoice.Software("jetson configured but unavailable: ffmpeg has no h264_nvv4l2dec decoder (not a Jetson build of ffmpeg) and no V4L2 mem2mem device for h264_v4l2m2m")));
    }

    [Test]
    public void Resolve_AutoWithM2mDevice_JetsonOnV4l2M2m()
    {
        var caps = DebianWithM2mWrapper with { M2mDevices = ["/dev/video10 (bcm2835-codec-decode)"] };

        var choice = HwaccelResolver.Resolve(HardwareAcceleration.Auto, caps);

        Assert.That(choice.Kind, Is.EqualTo(HardwareAcceleration.Jetson));
        Assert.That(choice.DecoderFamily, Is.EqualTo("v4l2m2m"));
        Assert.That(choice.Reason, Is.EqualTo("auto: h264_v4l2m2m decoder and V4L2 mem2mem device /dev/video10 (bcm2835-codec-decode) present"));
        Assert.That(choice.Name, Is.EqualTo("jetson (v4l2m2m)"));
    }

    [Test]
    public void Resolve_JetsonWithL4tFfmpegAndM2mDevice_PrefersNvv4l2()
    {
        // NVIDIA's L4T ffmpeg lists both families; nvv4l2dec is the one on NVDEC.
        var caps = DebianWithM2mWrapper with { Decoders = new HashSet<string> { "h264_nvv4l2dec", "h264_v4l2m2m" }, M2mDevices = ["/dev/video0 (NVIDIA Tegra Video Decoder)"] };

        var choice = HwaccelResolver.Resolve(HardwareAcceleration.Jetson, caps);

        Assert.That(choice.DecoderFamily, Is.EqualTo("nvv4l2dec"));
        Assert.That(FfmpegArguments.DecoderArguments(choice, "hevc"), Is.EqualTo(new[] { "-c:v", "hevc_nvv4l2dec" }));
    }

    [Test]
    public void Resolve_AutoOnL4tFfmpeg_JetsonBeforeCuda()
    {
        var caps = DebianWithNvidia with { Decoders = new HashSet<string> { "h264_nvv4l2dec" } };

        Assert.That(HwaccelResolver.Resolve(HardwareAcceleration.Auto, caps), Is.EqualTo(new DecoderChoice(HardwareAcceleration.Jetson, "auto: h264_nvv4l2dec decoder present") { DecoderFamily = "nvv4l2dec" }));
    }

    [Test]
    public void Resolve_CudaPresent_Configured() =>
        Assert.That(HwaccelResolver.Resolve(HardwareAcceleration.Cuda, DebianWithNvidia), Is.EqualTo(new DecoderChoice(HardwareAcceleration.Cuda, "configured")));

    [Test]
    public void Resolve_None_SoftwareWithoutProbing() =>
        Assert.That(HwaccelResolver.Resolve(HardwareAcceleration.None, HardwareCapabilities.None), Is.EqualTo(DecoderChoice.Software("configured")));

    [Test]
    public void ParseHwaccels_RecordedOutput_Names() =>
        Assert.That(HardwareProbe.ParseHwaccels("Hardware acceleration methods:\nvdpau\ncuda\nvaapi\nqsv\ndrm\nopencl\nvulkan\n\n"), Is.EquivalentTo(DebianNoGpu.Hwaccels));

    [Test]
    public void ParseDecoders_RecordedLines_Names()
    {
        const string Output = "Decoders:\n V..... = Video\n ------\n V....D h264                 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10\n V..... h264_nvv4l2dec       NVIDIA V4L2 H.264 decoder\n A....D aac                  AAC (Advanced Audio Coding)\n";

        Assert.That(HardwareProbe.ParseDecoders(Output), Does.Contain("h264").And.Contain("h264_nvv4l2dec").And.Contain("aac"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task GetAsync_ThisMachine_FindsFfmpegsHwaccels(CancellationToken cancellationToken)
    {
        var caps = await new HardwareProbe(new IngestTuning()).GetAsync(cancellationToken);

        // Debian's ffmpeg 5.1 is built with cuda and vaapi support whatever the machine has.
        Assert.That(caps.Hwaccels, Does.Contain("cuda").And.Contain("vaapi"));
    }
}
