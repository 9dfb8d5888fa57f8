using System.Diagnostics;
using System.Globalization;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Bench;

/// <summary>
/// The whole detector cascade on a 1280x720 BGR24 frame of people (face-api's sample1, cropped): the primary
/// (centernet) on the frame, blazeface on the upper half of each person, PP-OCR's detector on each vehicle;
/// against the primary alone, interleaved frame by frame, medians. Run at 1 and at 2 intra-op threads.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class CascadeBenchmark : IBenchmark
{
    public string Name => "cascade";

    public string Description => "cascade ms per 720p frame vs its primary alone [--primary centernet] [--faces blazeface] [--plates ppocr-v4-det] [--threads 1] [--frames 15] [--rounds 5]";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var threads = int.Parse(BenchPaths.Arg(args, "--threads", "1"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(BenchPaths.Arg(args, "--rounds", "5"), CultureInfo.InvariantCulture);
        var frames = int.Parse(BenchPaths.Arg(args, "--frames", "15"), CultureInfo.InvariantCulture);
        var r = Measure(BenchPaths.Arg(args, "--primary", "centernet"), BenchPaths.Arg(args, "--faces", "blazeface"), BenchPaths.Arg(args, "--plates", "ppocr-v4-det"), threads, rounds, frames, cancellationToken);
        Console.WriteLine(FormattableString.Invariant($"cascade {r.Primary} → {r.Faces} on person tops, {r.Plates} on vehicles; CPU, intra-op threads {threads}, frame 1280x720, {rounds} rounds x {frames} frames; finds {r.Found}"));
        Console.WriteLine(FormattableString.Invariant($"whole cascade  median {BenchPaths.Median(r.Whole),8:0.0} ms/frame  (rounds: {string.Join(" ", r.Whole.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(FormattableString.Invariant($"primary alone  median {BenchPaths.Median(r.Alone),8:0.0} ms/frame  (rounds: {string.Join(" ", r.Alone.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(FormattableString.Invariant($"ratio cascade / primary {BenchPaths.Median(r.Whole) / BenchPaths.Median(r.Alone):0.00}"));
        return Task.FromResult(0);
    }

    /// <summary>The suite's figure: the whole cascade per frame against its primary alone (no goal: it shows what the secondaries cost).</summary>
    public static BenchFigure Figure(int threads, int rounds, int frames, CancellationToken cancellationToken)
    {
        var r = Measure("centernet", "blazeface", "ppocr-v4-det", threads, rounds, frames, cancellationToken);
        return new BenchFigure("cascade", FormattableString.Invariant($"{r.Primary} → {r.Faces} on person tops, {r.Plates} on vehicles, per 720p frame ({r.Found}; {threads} thread{(threads == 1 ? "" : "s")}) vs {r.Primary} alone"), BenchPaths.Median(r.Whole), BenchPaths.Median(r.Alone), "ms");
    }

    /// <summary>Per-round medians in ms per frame, whole cascade and primary alone, and what the cascade found.</summary>
    public sealed record Result(string Primary, string Faces, string Plates, IReadOnlyList<double> Whole, IReadOnlyList<double> Alone, string Found);

    public static Result Measure(string primaryModel, string facesModel, string platesModel, int threads, int rounds, int frames, CancellationToken cancellationToken)
    {
        var root = BenchPaths.Root();
        var modelsDir = Path.Combine(root, "models");
        var factory = new InferenceSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], IntraOpThreads = threads }, Path.Combine(Path.GetTempPath(), "sensen-bench"));
        OnnxDetector Load(string name) => new(name, factory.Create(ModelManifestReader.Read(modelsDir, name)));
        using var primary = Load(primaryModel);
        using var faces = Load(facesModel);
        using var plates = Load(platesModel);
        var cascade = new DetectorCascade(
            [(primary, 1)],
            [new CascadeSecondary(faces, new HashSet<ObjectClass> { ObjectClass.Person }, 0.5f), new CascadeSecondary(plates, ObjectClasses.Vehicles, 1f)]);

        var (photo, photoWidth, _) = OperatorImage.Load(Path.Combine(root, ".cache", "npm", "face-api", "demo", "sample1.jpg"));
        const int W = 1280, H = 720;
        var pool = new FramePool(W * H * 3, 1);
        pool.TryRent(out var frame);
        frame.Describe("bench", W, H, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UtcNow);
        for (var y = 0; y < H; y++)
        {
            photo.AsSpan(((y + 300) * photoWidth * 3) + (300 * 3), W * 3).CopyTo(frame.Pixels.Slice(y * W * 3, W * 3));
        }

        var results = new List<DetectedObject>(64);
        for (var i = 0; i < 3; i++)
        {
            cascade.Run(frame, results);
        }

        var whole = new List<double>();
        var alone = new List<double>();
        var wholeTimes = new double[frames];
        var aloneTimes = new double[frames];
        for (var r = 0; r < rounds && !cancellationToken.IsCancellationRequested; r++)
        {
            for (var i = 0; i < frames; i++)
            {
                var started = Stopwatch.GetTimestamp();
                cascade.Run(frame, results);
                wholeTimes[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

                started = Stopwatch.GetTimestamp();
                results.Clear();
                primary.Detect(frame, results);
                aloneTimes[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            whole.Add(BenchPaths.Median(wholeTimes));
            alone.Add(BenchPaths.Median(aloneTimes));
        }

        cascade.Run(frame, results);
        frame.Release();
        var counts = string.Join(", ", results.GroupBy(d => d.Class).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        return new Result(primary.Id, faces.Id, plates.Id, whole, alone, counts);
    }
}
