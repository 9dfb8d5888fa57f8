using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Bench;

/// <summary>
/// The clip path's two costs. (1) Obscuring 32 regions (120x120 before a 0.3 dilation) on a 1920x1080 bgr24
/// frame, per method, one thread: ms per frame and bytes allocated per frame. (2) The clip path on a 1280x720
/// frame of people (face-api's sample1, cropped as the cascade benchmark does) with a person track around
/// each face and a vehicle track, against the sum of its bare model runs on the same frame (face-tiny on the
/// whole frame and on each person's upper half, PP-OCR det on the vehicle), interleaved, medians.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class PrivacyBenchmark : IBenchmark
{
    public string Name => "privacy";

    public string Description => "obscuring 32 regions on 1080p per method; clip path ms per frame vs its bare model runs [--part all|obscuring|clip] [--threads 1] [--frames 5] [--rounds 5]";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var threads = int.Parse(BenchPaths.Arg(args, "--threads", "1"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(BenchPaths.Arg(args, "--rounds", "5"), CultureInfo.InvariantCulture);
        var frames = int.Parse(BenchPaths.Arg(args, "--frames", "5"), CultureInfo.InvariantCulture);
        var root = BenchPaths.Root();
        var (photo, photoWidth, photoHeight) = OperatorImage.Load(Path.Combine(root, ".cache", "npm", "face-api", "demo", "sample1.jpg"));
        var part = BenchPaths.Arg(args, "--part", "all");
        if (part is "all" or "obscuring")
        {
            Obscuring(photo, photoWidth, photoHeight, rounds, cancellationToken);
        }

        if (part is "all" or "clip")
        {
            ClipPath(root, photo, photoWidth, threads, rounds, frames, cancellationToken);
        }
        return Task.FromResult(0);
    }

    /// <summary>Prints each method's figures and returns its median ms per frame (the suite's figures).</summary>
    internal static Dictionary<ObscureMethod, double> Obscuring(byte[] photo, int photoWidth, int photoHeight, int rounds, CancellationToken cancellationToken)
    {
        var medianByMethod = new Dictionary<ObscureMethod, double>();
        const int W = 1920, H = 1080, Frames = 50;
        var source = new byte[W * H * 3];
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x += photoWidth)
            {
                var n = Math.Min(photoWidth, W - x);
                photo.AsSpan((y % photoHeight) * photoWidth * 3, n * 3).CopyTo(source.AsSpan(((y * W) + x) * 3));
            }
        }

        var regions = Enumerable.Range(0, 32).Select(i => new BoxF(60 + ((i % 8) * 230), 80 + ((i / 8) * 250), 180 + ((i % 8) * 230), 200 + ((i / 8) * 250))).ToArray();
        var pixels = new byte[source.Length];
        Console.WriteLine(FormattableString.Invariant($"obscuring: {regions.Length} regions of 120x120 (156x156 after dilation 0.3) on a {W}x{H} bgr24 frame, one thread, {rounds} rounds x {Frames} frames"));
        // Each method as the daemon runs it, and the mosaic's scalar path (hardware without Vector128 acceleration) beside it.
        var obscurers = Enum.GetValues<ObscureMethod>().Select(m => (Name: m.ToString().ToLowerInvariant(), Obscurer: new Obscurer(m))).ToList();
        obscurers.Insert(2, ("mosaic-scalar", new Obscurer(ObscureMethod.Mosaic, vectorised: false)));
        foreach (var (name, obscurer) in obscurers)
        {
            var medians = new List<double>();
            var times = new double[Frames];
            long allocated = 0;
            // Warm-up beyond tiered compilation's thresholds, so the rounds time tier-1 code.
            Run(Frames);
            for (var r = 0; r < rounds && !cancellationToken.IsCancellationRequested; r++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                Run(Frames);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                medians.Add(BenchPaths.Median(times));
            }

            Console.WriteLine(FormattableString.Invariant($"  {name,-13} median {BenchPaths.Median([.. medians]),7:0.000} ms/frame  allocated {(double)allocated / (rounds * Frames):0} B/frame  (rounds: {string.Join(" ", medians.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))})"));
            if (name != "mosaic-scalar")
            {
                medianByMethod[obscurer.Method] = BenchPaths.Median([.. medians]);
            }

            void Run(int count)
            {
                for (var f = 0; f < count; f++)
                {
                    // The copy is the clip path's too, but is not obscuring: it stays outside the timing.
                    source.CopyTo(pixels, 0);
                    var started = Stopwatch.GetTimestamp();
                    obscurer.BeginFrame();
                    foreach (var region in regions)
                    {
                        obscurer.Obscure(pixels, W, H, region, 0.3);
                    }

                    times[f % times.Length] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }
        }

        return medianByMethod;
    }

    private static void ClipPath(string root, byte[] photo, int photoWidth, int threads, int rounds, int frames, CancellationToken cancellationToken)
    {
        const int W = 1280, H = 720;
        var modelsDir = Path.Combine(root, "models");
        var factory = new InferenceSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], IntraOpThreads = threads }, Path.Combine(Path.GetTempPath(), "sensen-bench"));
        OnnxDetector Load(string name) => new(name, factory.Create(ModelManifestReader.Read(modelsDir, name)));
        using var faces = Load("face-tiny");
        using var plates = Load("ppocr-v4-det");
        var bgr = new byte[W * H * 3];
        for (var y = 0; y < H; y++)
        {
            photo.AsSpan(((y + 300) * photoWidth * 3) + (300 * 3), W * 3).CopyTo(bgr.AsSpan(y * W * 3, W * 3));
        }

        var found = new List<DetectedObject>();
        faces.Detect(bgr, W, H, found);

        // A person under each face (the face as the top fifth of a body three faces wide), and a car.
        var persons = found.Select((f, i) => new TrackedBox(i + 1, ObjectClass.Person, new BoxF(f.Box.X1 - f.Box.Width, f.Box.Y1 - (f.Box.Height * 0.2f), f.Box.X2 + f.Box.Width, f.Box.Y1 + (f.Box.Height * 5)).Clip(W, H), true)).ToArray();
        var car = new TrackedBox(100, ObjectClass.Car, new BoxF(0, 400, 640, 720), true);
        TrackedBox[] tracks = [.. persons, car];
        var options = new PrivacyOptions { LookAheadFrames = 0, PersistenceFrames = 0 };
        using var anonymiser = new ClipAnonymiser(options, new ClipModels([new OnnxClipDetector(faces)], new OnnxClipDetector(plates), null), new PrivacyMetrics(), NullLogger.Instance);
        var pool = new FramePool(W * H * 3, 2);
        using var clip = anonymiser.Open(new ClipSubject("bench", new Dictionary<long, IReadOnlyList<TrackPoint>>()));
        var sequence = 0L;

        double ClipFrame()
        {
            pool.TryRent(out var frame);
            frame.Describe("bench", W, H, PixelFormat.Bgr24, sequence, TimeSpan.FromMilliseconds(100 * sequence), DateTimeOffset.UtcNow);
            bgr.CopyTo(frame.Pixels);
            var item = new ClipFrame(frame.Handle(), true, new FrameTime(frame.Pts, frame.CaptureTime), [], tracks);
            sequence++;
            var started = Stopwatch.GetTimestamp();
            clip.Push(item);
            if (!clip.TryTake(out var anonymised) || anonymised.IsMaskedWhole)
            {
                throw new InvalidOperationException("the clip path gave no anonymised frame");
            }

            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        pool.TryRent(out var bare);
        bare.Describe("bench", W, H, PixelFormat.Bgr24, 0, TimeSpan.Zero, DateTimeOffset.UtcNow);
        bgr.CopyTo(bare.Pixels);
        double Bare()
        {
            var started = Stopwatch.GetTimestamp();
            found.Clear();
            faces.Detect(bare, found);
            foreach (var p in persons)
            {
                faces.Detect(bare, p.Box with { Y2 = p.Box.Y1 + (p.Box.Height * 0.5f) }, found);
            }

            plates.Detect(bare, car.Box, found);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        ClipFrame();
        Bare();
        var pathMedians = new List<double>();
        var bareMedians = new List<double>();
        var pathTimes = new double[frames];
        var bareTimes = new double[frames];
        for (var r = 0; r < rounds && !cancellationToken.IsCancellationRequested; r++)
        {
            for (var i = 0; i < frames; i++)
            {
                pathTimes[i] = ClipFrame();
                bareTimes[i] = Bare();
            }

            pathMedians.Add(BenchPaths.Median(pathTimes));
            bareMedians.Add(BenchPaths.Median(bareTimes));
        }

        bare.Release();
        var summary = clip.Summary;
        Console.WriteLine(FormattableString.Invariant($"clip path: face-tiny on the {W}x{H} frame and on {persons.Length} person tops, ppocr-v4-det on 1 vehicle; CPU, intra-op threads {threads}, {rounds} rounds x {frames} frames; {summary.FacesObscured / Math.Max(1, summary.Frames)} faces+heads and {summary.PlatesObscured / Math.Max(1, summary.Frames)} plates obscured per frame"));
        Console.WriteLine(FormattableString.Invariant($"  clip path        median {BenchPaths.Median([.. pathMedians]),8:0.0} ms/frame  (rounds: {string.Join(" ", pathMedians.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(FormattableString.Invariant($"  bare model runs  median {BenchPaths.Median([.. bareMedians]),8:0.0} ms/frame  (rounds: {string.Join(" ", bareMedians.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(FormattableString.Invariant($"  ratio clip path / bare runs {BenchPaths.Median([.. pathMedians]) / BenchPaths.Median([.. bareMedians]):0.00}"));
    }
}
