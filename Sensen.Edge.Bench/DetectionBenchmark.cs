using System.Diagnostics;
using System.Globalization;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Bench;

/// <summary>
/// The detect stage (preprocess + run + decode + NMS on a 1280x720 BGR24 frame) against a bare
/// <c>session.Run</c> on the already-filled input tensor: same session, same threads, same run, interleaved
/// rounds, medians. Goal: stage / bare ≥ 0.9. Also reports managed bytes allocated per detected frame.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class DetectionBenchmark : IBenchmark
{
    public string Name => "detection";

    public string Description => "detect stage fps vs bare session.Run [--model face-tiny] [--threads 1] [--provider cpu] [--rounds 7] [--frames 30]";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var model = BenchPaths.Arg(args, "--model", "face-tiny");
        var threads = int.Parse(BenchPaths.Arg(args, "--threads", "1"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(BenchPaths.Arg(args, "--rounds", "7"), CultureInfo.InvariantCulture);
        var frames = int.Parse(BenchPaths.Arg(args, "--frames", "30"), CultureInfo.InvariantCulture);
        var provider = Enum.Parse<ExecutionProviderKind>(BenchPaths.Arg(args, "--provider", "cpu"), ignoreCase: true);
        var modelsDir = BenchPaths.Arg(args, "--models-dir", Path.Combine(BenchPaths.Root(), "models"));
        var r = Measure(model, threads, rounds, frames, provider, modelsDir, cancellationToken);
        Console.WriteLine(FormattableString.Invariant($"model {model} ({r.InputWidth}x{r.InputHeight}), provider {r.Provider}, intra-op threads {threads}, frame {r.FrameWidth}x{r.FrameHeight}, {rounds} rounds x {frames} frames, {r.Detections} detections per frame"));
        Console.WriteLine(FormattableString.Invariant($"detect stage  median {r.StageFps,8:0.0} fps  (rounds: {string.Join(" ", r.Stage.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(FormattableString.Invariant($"bare Run      median {r.BareFps,8:0.0} fps  (rounds: {string.Join(" ", r.Bare.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(FormattableString.Invariant($"ratio {r.StageFps / r.BareFps:0.000} (goal >= 0.9); managed allocation {r.BytesPerFrame:0} bytes per detected frame; preprocessing alone {r.PreprocessMilliseconds:0.00} ms"));
        return Task.FromResult(0);
    }

    /// <summary>The suite's figure for one model: the detect stage against a bare <c>session.Run</c>, goal 0.9.</summary>
    public static BenchFigure Figure(string model, int threads, int rounds, int frames, CancellationToken cancellationToken)
    {
        var r = Measure(model, threads, rounds, frames, ExecutionProviderKind.Cpu, Path.Combine(BenchPaths.Root(), "models"), cancellationToken);
        return new BenchFigure("detection", FormattableString.Invariant($"{model} ({r.InputWidth}×{r.InputHeight}, {r.Provider}, {threads} thread{(threads == 1 ? "" : "s")}) detect stage on a 720p frame vs bare `session.Run`"), r.StageFps, r.BareFps, "fps", BenchGoal.Minimum(0.9));
    }

    /// <summary>What one measurement found: per-round medians (fps) and the figures beside them.</summary>
    public sealed record Result(IReadOnlyList<double> Stage, IReadOnlyList<double> Bare, double BytesPerFrame, double PreprocessMilliseconds, int Detections, int InputWidth, int InputHeight, string Provider, int FrameWidth, int FrameHeight)
    {
        public double StageFps => BenchPaths.Median(Stage);

        public double BareFps => BenchPaths.Median(Bare);
    }

    public static Result Measure(string model, int threads, int rounds, int frames, ExecutionProviderKind provider, string modelsDir, CancellationToken cancellationToken)
    {
        var root = BenchPaths.Root();
        var options = new InferenceOptions { Providers = [provider], RequireGpu = provider != ExecutionProviderKind.Cpu, IntraOpThreads = threads };
        var factory = new InferenceSessionFactory(options, Path.Combine(Path.GetTempPath(), "sensen-bench"));
        using var detector = new OnnxDetector(model, factory.Create(ModelManifestReader.Read(modelsDir, model)));

        // A real photo cropped to a 1280x720 camera frame (faces at the top left of face-api's sample1).
        var (photo, photoWidth, _) = OperatorImage.Load(Path.Combine(root, ".cache", "npm", "face-api", "demo", "sample1.jpg"));
        const int W = 1280, H = 720;
        var pool = new FramePool(W * H * 3, 1);
        pool.TryRent(out var frame);
        frame.Describe("bench", W, H, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UtcNow);
        for (var y = 0; y < H; y++)
        {
            photo.AsSpan((y + 300) * photoWidth * 3 + (300 * 3), W * 3).CopyTo(frame.Pixels.Slice(y * W * 3, W * 3));
        }

        var results = new List<DetectedObject>(64);
        for (var i = 0; i < 5; i++)
        {
            results.Clear();
            detector.Detect(frame, results);
            detector.RunPrefilled();
        }

        // Interleaved frame by frame, so both sides see the same noise on a shared machine; per-frame
        // times are collected and their medians quoted, per round and overall.
        var stage = new List<double>();
        var bare = new List<double>();
        var stageTimes = new double[frames];
        var bareTimes = new double[frames];
        long allocated = 0;
        for (var r = 0; r < rounds && !cancellationToken.IsCancellationRequested; r++)
        {
            for (var i = 0; i < frames; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var started = Stopwatch.GetTimestamp();
                results.Clear();
                detector.Detect(frame, results);
                stageTimes[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;

                started = Stopwatch.GetTimestamp();
                detector.RunPrefilled();
                bareTimes[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
            }

            stage.Add(1 / BenchPaths.Median([.. stageTimes]));
            bare.Add(1 / BenchPaths.Median([.. bareTimes]));
        }

        // Where the difference goes: preprocessing alone, on the same frame.
        var pre = new ImagePreprocessor(detector.Model.Manifest);
        var tensor = new float[pre.TensorLength];
        var preTimes = new double[frames * 3];
        for (var i = 0; i < preTimes.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            pre.Run(frame, tensor);
            preTimes[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        frame.Release();
        return new Result(
            stage, bare, (double)allocated / Math.Max(1, stage.Count * frames), BenchPaths.Median([.. preTimes]), results.Count,
            detector.Model.Manifest.InputWidth, detector.Model.Manifest.InputHeight, DetectionMetrics.ProviderName(detector.Provider), W, H);
    }
}
