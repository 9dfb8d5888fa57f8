using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sensen.Edge.Detection;

namespace Sensen.Edge.Bench;

/// <summary>
/// The detection preprocessing (BGR24 frame → letterboxed, normalised NCHW tensor) on each horizontal-pass path
/// the CPU accelerates: scalar, Vector128 (what arm64 runs), Vector256 (x86-64 with the AVX2 gather). One 1280x720
/// frame into face-tiny's 416x416 input, the paths interleaved round by round, medians, ratio to scalar. Run on
/// arm64 (or under qemu-aarch64-static) to decide whether the Vector128 path earns its place there.
/// </summary>
internal sealed class PreprocessBenchmark : IBenchmark
{
    public string Name => "preprocess";

    public string Description => "detection preprocessing 1280x720 → 416x416 NCHW: ms/frame per sampling path (scalar, Vector128, Vector256) [rounds] [frames]";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        var frames = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        const int Width = 1280, Height = 720;
        var manifest = new ModelManifest { InputWidth = 416, InputHeight = 416, PadValue = 0, Mean = [0, 0, 0], Std = [255, 255, 255], ColorOrder = ColorOrder.Rgb };
        var paths = Enum.GetValues<SamplingPath>().Where(SamplingPaths.IsAccelerated).ToList();
        var bgr = new byte[Width * Height * 3];
        new Random(1).NextBytes(bgr);
        Console.WriteLine($"preprocess benchmark: {RuntimeInformation.ProcessArchitecture}, {Width}x{Height} → 416x416 NCHW, {rounds} rounds of {frames} frames, medians; default path {SamplingPaths.Best}");
        var results = paths.ToDictionary(p => p, _ => new List<double>());
        var preprocessors = paths.ToDictionary(p => p, p => new ImagePreprocessor(manifest, p));
        var tensor = new float[preprocessors[paths[0]].TensorLength];
        for (var r = 0; r < rounds + 1 && !cancellationToken.IsCancellationRequested; r++)
        {
            foreach (var path in paths)
            {
                var pre = preprocessors[path];
                var transform = pre.TransformFor(Width, Height);
                var times = new double[frames];
                for (var f = 0; f < frames; f++)
                {
                    var t = Stopwatch.GetTimestamp();
                    pre.Run(bgr, Width, Height, Width * 3, transform, tensor);
                    times[f] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }

                if (r > 0)
                {
                    // Round 0 warms up (JIT tiers, page faults); the others count.
                    results[path].Add(Median(times));
                }
            }
        }

        var scalar = Median([.. results[SamplingPath.Scalar]]);
        Console.WriteLine($"{"path",-10} {"ms/frame",9} {"vs scalar",10}");
        foreach (var path in paths)
        {
            var median = Median([.. results[path]]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path,-10} {median,9:F2} {scalar / median,9:F2}x"));
        }

        return Task.FromResult(0);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }
}
