using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Bench;

/// <summary>
/// Managed bytes allocated per frame in the steady state of the live path after ingest: a frame written to the
/// ingest → detection edge, the real detection stage with a real face-tiny session, the detection → tracking edge
/// (AnalysedFrame, pooled detection list) and the pipeline's end, process-wide; against the detector alone
/// called on the same frames (the part already known to allocate nothing). Same run, same session.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class PipelineBenchmark : IBenchmark
{
    private const int W = 1280;
    private const int H = 720;

    public string Name => "pipeline";

    public string Description => "bytes allocated per frame: edges + detection stage + pipeline end vs the detector alone [frames]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Sensen.Edge.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var factory = new InferenceSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], IntraOpThreads = 1 }, Path.Combine(Path.GetTempPath(), "sensen-bench"));
        using var detector = new OnnxDetector("faces", factory.Create(ModelManifestReader.Read(Path.Combine(root, "models"), "face-tiny")));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var metrics = new PipelineMetrics(meters);
        var edges = new PipelineEdges([new CameraFrames("bench", W, H, 10)], 0, new PipelineTuning(), metrics);
        var status = new PipelineStatus();
        using var detection = new DetectionStage(edges, _ => [detector], new InferenceOptions(), new DetectionMetrics(meters), TimeProvider.System, status, NullLogger<DetectionStage>.Instance);
        using var terminal = new PipelineTerminal(edges, metrics, status);
        var camera = edges.For("bench");

        // The detector alone, on pooled frames as the stage sees them.
        var results = new List<DetectedObject>(64);
        camera.Frames.TryRent(out var lone);
        lone.Describe("bench", W, H, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UtcNow);
        for (var i = 0; i < 10; i++)
        {
            results.Clear();
            detector.Detect(lone, results);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < frames; i++)
        {
            results.Clear();
            detector.Detect(lone, results);
        }

        var alone = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)frames;
        lone.Release();

        await terminal.StartAsync(cancellationToken);
        await detection.StartAsync(cancellationToken);
        var warmUp = 20;
        long start = 0;
        for (var i = 0; i < warmUp + frames; i++)
        {
            if (i == warmUp)
            {
                while (terminal.Ended("bench") < warmUp)
                {
                    Thread.Yield();
                }

                start = GC.GetTotalAllocatedBytes(precise: true);
            }

            // Never faster than detection, so nothing is dropped: a blocking producer on this thread, as ingest's reader is.
            Frame? frame;
            while (camera.ToDetection.Reader.Count >= camera.ToDetection.Capacity || !camera.Frames.TryRent(out frame))
            {
                Thread.Yield();
            }

            frame.Describe("bench", W, H, PixelFormat.Bgr24, i, TimeSpan.FromMilliseconds(100 * i), DateTimeOffset.UtcNow);
            camera.ToDetection.Writer.TryWrite(frame);
        }

        while (terminal.Ended("bench") < warmUp + frames)
        {
            Thread.Yield();
        }

        var path = (GC.GetTotalAllocatedBytes(precise: true) - start) / (double)frames;
        camera.ToDetection.Writer.TryComplete();
        await detection.StopAsync(cancellationToken);
        await terminal.StopAsync(cancellationToken);
        Console.WriteLine(FormattableString.Invariant($"pipeline benchmark: {frames} frames of {W}x{H} after {warmUp} warm-up, face-tiny on cpu, 1 thread, {camera.ToDetection.Drops.Dropped} dropped"));
        Console.WriteLine(FormattableString.Invariant($"edges + detection stage + end: {path:0} bytes/frame (process-wide); detector alone: {alone:0} bytes/frame; frame buffers in use after stop: {camera.Frames.InUse}"));
        return 0;
    }
}
