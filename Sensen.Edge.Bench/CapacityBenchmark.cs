using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Recording;

namespace Sensen.Edge.Bench;

/// <summary>
/// The headline: how many 1280x720 cameras at a given analysed fps one box sustains with the shipped models on
/// the live path (CenterNet on the frame, BlazeFace on the upper half of each person). The real daemon
/// (<c>out/sensen-edge run</c>) replays a street clip on N cameras in realtime, uplink off, and N grows by one
/// until a camera drops frames (the daemon's own counter, printed in its exit summary: <c>ingest cam-N: … D
/// dropped</c>) or falls behind realtime. Its limit is what the cascade's own model time allows: cores × 1000 /
/// (cascade ms per frame × fps), the cascade measured on frames of the same clip in the same run. The same runs
/// give memory per camera: the daemon's RSS grows by so much per added camera, against the camera's
/// <see cref="FrameBudget"/>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class CapacityBenchmark : IBenchmark
{
    private const int Width = 1280;
    private const int Height = 720;
    private const int ClipSeconds = 20;

    /// <summary>The memory runs' frame rate (the capacity runs at this rate are reused): low enough that two cameras keep up on two loaded cores.</summary>
    private const double MemoryFps = 2;

    public string Name => "capacity";

    public string Description => "720p cameras the daemon sustains at F analysed fps (out/sensen-edge run, replayed cameras added until frames drop), and RSS per camera vs its FrameBudget [--fps 10,5,2] [--seconds 20] [--max-cameras 16]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var fps = BenchPaths.Arg(args, "--fps", "10,5,2").Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToList();
        var seconds = int.Parse(BenchPaths.Arg(args, "--seconds", "20"), CultureInfo.InvariantCulture);
        var maxCameras = int.Parse(BenchPaths.Arg(args, "--max-cameras", "16"), CultureInfo.InvariantCulture);
        var (figures, notes) = await FiguresAsync(fps, seconds, maxCameras, rounds: 5, Console.WriteLine, cancellationToken);
        notes.ForEach(Console.WriteLine);
        foreach (var figure in figures)
        {
            Console.WriteLine(figure);
        }

        return 0;
    }

    /// <summary>
    /// One camera-count search per frame rate, then memory per camera from one run with one camera and one with two
    /// at <see cref="MemoryFps"/>.
    /// </summary>
    public static async Task<(List<BenchFigure> Figures, List<string> Notes)> FiguresAsync(IReadOnlyList<double> fpsList, int seconds, int maxCameras, int rounds, Action<string> progress, CancellationToken cancellationToken)
    {
        var root = BenchPaths.Root();
        var daemon = Path.Combine(root, "out", "sensen-edge");
        if (!File.Exists(daemon))
        {
            throw new InvalidOperationException($"{daemon} is missing: run ./build.sh first");
        }

        var work = Directory.CreateTempSubdirectory("sensen-edge-bench-capacity-").FullName;
        try
        {
            var clip = Path.Combine(work, "street.mp4");
            var source = await MakeClipAsync(clip, cancellationToken);
            await RunToEndAsync(daemon, ["keys", "city", "--out", Path.Combine(work, "city")], cancellationToken);
            await RunToEndAsync(daemon, ["keys", "device", "--out", Path.Combine(work, "device"), "--device-id", "bench"], cancellationToken);
            var credentials = Path.Combine(work, "credentials");
            Directory.CreateDirectory(credentials);
            File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.Copy(Path.Combine(work, "device", "device-key.pem"), Path.Combine(credentials, "device-key"));
            File.WriteAllText(Path.Combine(credentials, "vault-db-key"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            File.WriteAllText(Path.Combine(credentials, "vault-storage-key"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            foreach (var file in Directory.GetFiles(credentials))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var cascadeMs = CascadeOnClip(root, clip, rounds, cancellationToken);
            var cores = Environment.ProcessorCount;
            var figures = new List<BenchFigure>();
            var headlines = new List<string>();
            var notes = new List<string>();
            var trials = new List<Trial>();
            foreach (var fps in fpsList)
            {
                var sustained = 0;
                for (var cameras = 1; cameras <= maxCameras && !cancellationToken.IsCancellationRequested; cameras++)
                {
                    var trial = await TrialAsync(daemon, work, clip, root, cameras, fps, seconds, cancellationToken);
                    trials.Add(trial);
                    progress($"  capacity: {trial}");
                    if (!trial.Sustained)
                    {
                        break;
                    }

                    sustained = cameras;
                }

                var floor = cores * 1000 / (cascadeMs * fps);
                figures.Add(new BenchFigure(
                    "capacity",
                    FormattableString.Invariant($"1280×720 cameras at {fps:0.#} fps analysed that `sensen-edge run` sustains ({source}, realtime replay, uplink off, no drop in {seconds} s) vs what the cascade's model time allows ({cores} cores × 1000 / ({cascadeMs:0.0} ms × {fps:0.#} fps))"),
                    sustained,
                    floor,
                    "cameras"));
                headlines.Add(FormattableString.Invariant($"**Headline: {sustained} camera{(sustained == 1 ? "" : "s")} of 1280×720 at {fps:0.#} fps analysed** (CenterNet + BlazeFace on persons, CPU), where the models' own time would allow {floor:0.0}."));
                notes.Add(FormattableString.Invariant($"Capacity runs at {fps:0.#} fps: ") + string.Join("; ", trials.Where(t => t.Fps == fps).Select(t => t.ToString())) + ".");
            }

            // Memory per camera: the RSS slope from one camera to two at a rate this box can carry, so that every
            // camera's pre-roll ring fills with analysed frames (an overloaded run never fills it).
            var memory = trials.Where(t => t.Fps == MemoryFps && t.Cameras <= 2).ToList();
            foreach (var cameras in Enumerable.Range(1, 2).Where(n => !memory.Any(t => t.Cameras == n)))
            {
                var trial = await TrialAsync(daemon, work, clip, root, cameras, MemoryFps, seconds, cancellationToken);
                progress($"  memory: {trial}");
                memory.Add(trial);
            }

            notes.Add(FormattableString.Invariant($"Memory runs at {MemoryFps:0.#} fps: ") + string.Join("; ", memory.Select(t => t.ToString())) + ".");
            var slope = Slope(memory.Select(t => ((double)t.Cameras, t.RssMiB)).ToList());
            var budget = FrameBudget.For(new CameraFrames("bench", Width, Height, memory[0].Fps), new RecordingOptions().PreRollSeconds, new PipelineTuning());
            figures.Add(new BenchFigure(
                "memory",
                FormattableString.Invariant($"daemon RSS added per 720p camera at {memory[0].Fps:0.#} fps (slope over {string.Join(", ", memory.Select(t => t.Cameras))} cameras) vs its FrameBudget ({budget})"),
                slope,
                budget.Bytes / 1048576.0,
                "MiB",
                BenchGoal.Maximum(1)));
            return (figures, [.. headlines, .. notes]);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Least-squares slope of y over x.</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? double.NaN : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }

    /// <summary>One run of the daemon with <see cref="Cameras"/> cameras: what each camera's summary said, and the RSS.</summary>
    private sealed record Trial(int Cameras, double Fps, double Seconds, long Frames, long Dropped, long Analysed, double Expected, double RssMiB)
    {
        /// <summary>No camera dropped more than 2 frames or 1 %, and each delivered 90 % of realtime (less two frames).</summary>
        public bool Sustained { get; init; }

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Cameras} camera{(Cameras == 1 ? "" : "s")}: {Frames} frames in {Seconds:0.0} s of streaming (realtime {Expected:0}), {Dropped} dropped, {Analysed} analysed, RSS {RssMiB:0} MiB: {(Sustained ? "sustained" : "not sustained")}");
    }

    private static async Task<Trial> TrialAsync(string daemon, string work, string clip, string root, int cameras, double fps, int seconds, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(work, FormattableString.Invariant($"run-{fps:0.#}fps-{cameras}"));
        Directory.CreateDirectory(Path.Combine(dir, "state"));
        var config = Path.Combine(dir, "edge.yaml");
        File.WriteAllText(config, Config(work, dir, clip, root, cameras, fps));

        var start = new ProcessStartInfo(daemon) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", "--config", config, "--stop-after", seconds.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var clock = Stopwatch.StartNew();
        var streamingSince = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var errors = new Queue<string>();
        var stdoutTask = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderrTask = Task.Run(
            async () =>
            {
                while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
                {
                    // Seen as it is written, so the clock is this process's, whatever the log's timestamp format.
                    if (StreamingLine().Match(line) is { Success: true } m)
                    {
                        streamingSince.TryAdd(m.Groups[1].Value, clock.Elapsed);
                    }

                    errors.Enqueue(line);
                    if (errors.Count > 20)
                    {
                        errors.Dequeue();
                    }
                }
            },
            cancellationToken);

        var rss = new List<double>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(seconds + 120));
        try
        {
            while (!process.HasExited)
            {
                if (ReadRssKiB(process.Id) is { } kib)
                {
                    rss.Add(kib / 1024.0);
                }

                await Task.WhenAny(process.WaitForExitAsync(deadline.Token), Task.Delay(500, deadline.Token));
                deadline.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        var ended = clock.Elapsed;
        var stdout = await stdoutTask;
        await stderrTask;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sensen-edge run with {cameras} cameras exited with {process.ExitCode}: {string.Join(" | ", errors)}");
        }

        long frames = 0, dropped = 0, analysed = 0;
        double expected = 0, streamed = 0;
        var sustained = true;
        for (var i = 1; i <= cameras; i++)
        {
            var id = CameraId(i);
            var ingest = IngestLine().Match(stdout.Split('\n').FirstOrDefault(l => l.StartsWith($"ingest {id}:", StringComparison.Ordinal)) ?? string.Empty);
            var detect = DetectLine().Match(stdout.Split('\n').FirstOrDefault(l => l.StartsWith($"detect {id}:", StringComparison.Ordinal)) ?? string.Empty);
            if (!ingest.Success || !detect.Success || !streamingSince.TryGetValue(id, out var since))
            {
                throw new InvalidOperationException($"sensen-edge run printed no summary for {id} (or it never streamed): {stdout}");
            }

            var (f, d) = (long.Parse(ingest.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(ingest.Groups[2].Value, CultureInfo.InvariantCulture));
            var cameraSeconds = (ended - since).TotalSeconds;
            var cameraExpected = fps * cameraSeconds;
            // Two frames of slack each way: the first may be dropped while the pipeline warms, the last lost at the stop.
            sustained &= d <= Math.Max(2, 0.01 * f) && f >= (0.9 * cameraExpected) - 2;
            frames += f;
            dropped += d;
            analysed += long.Parse(detect.Groups[1].Value, CultureInfo.InvariantCulture);
            expected += cameraExpected;
            streamed = Math.Max(streamed, cameraSeconds);
        }

        var half = rss.Skip(rss.Count / 2).ToList();
        return new Trial(cameras, fps, streamed, frames, dropped, analysed, expected, half.Count > 0 ? BenchPaths.Median(half) : double.NaN) { Sustained = sustained };
    }

    private static string CameraId(int i) => string.Create(CultureInfo.InvariantCulture, $"cam-{i}");

    /// <summary>The live path on N replayed cameras: the shipped CenterNet with BlazeFace on person crops, uplink off, no rules.</summary>
    private static string Config(string work, string dir, string clip, string root, int cameras, double fps)
    {
        var lines = new List<string>
        {
            $"device: {{id: bench, state_directory: {dir}/state, credentials_directory: {work}/credentials, time_zone: UTC}}",
            "cameras:",
        };
        for (var i = 1; i <= cameras; i++)
        {
            lines.Add($"  - id: {CameraId(i)}");
            lines.Add($"    url: file://{clip}");
            lines.Add("    replay: realtime");
            lines.Add("    loop: true");
            lines.Add(FormattableString.Invariant($"    analysis: {{fps: {fps}, width: {Width}, height: {Height}}}"));
        }

        lines.AddRange(
        [
            $"inference: {{providers: [cpu], models_directory: {root}/models}}",
            "detectors:",
            "  - {id: objects, model: centernet, confidence: 0.5}",
            "  - {id: head-faces, model: blazeface, crops_of: [person], crop_height: 0.5}",
            $"vault: {{city_public_key: {work}/city/city-public.pem, city_ack_public_key: {work}/city/city-ack-public.pem}}",
            "uplink: {enabled: false}",
        ]);
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// The cascade the daemon runs (CenterNet at confidence 0.5, BlazeFace on the top half of each person), at one
    /// intra-op thread, on five frames of the clip: median over rounds of the mean ms per frame.
    /// </summary>
    private static double CascadeOnClip(string root, string clip, int rounds, CancellationToken cancellationToken)
    {
        var factory = new InferenceSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], IntraOpThreads = 1 }, Path.Combine(Path.GetTempPath(), "sensen-bench"));
        var modelsDir = Path.Combine(root, "models");
        using var primary = new OnnxDetector("objects", factory.Create(ModelManifestReader.Read(modelsDir, "centernet")), 0.5);
        using var faces = new OnnxDetector("head-faces", factory.Create(ModelManifestReader.Read(modelsDir, "blazeface")));
        var cascade = new DetectorCascade([(primary, 1)], [new CascadeSecondary(faces, new HashSet<ObjectClass> { ObjectClass.Person }, 0.5f)]);
        var pool = new FramePool(Width * Height * 3, 5);
        var frames = new List<Frame>();
        foreach (var at in new[] { 2, 6, 10, 14, 18 })
        {
            pool.TryRent(out var frame);
            frame.Describe("bench", Width, Height, PixelFormat.Bgr24, at, TimeSpan.FromSeconds(at), DateTimeOffset.UtcNow);
            DecodeFrame(clip, at).CopyTo(frame.Pixels);
            frames.Add(frame);
        }

        var results = new List<DetectedObject>(64);
        frames.ForEach(f => cascade.Run(f, results));
        var means = new List<double>();
        for (var r = 0; r < rounds && !cancellationToken.IsCancellationRequested; r++)
        {
            var started = Stopwatch.GetTimestamp();
            frames.ForEach(f => cascade.Run(f, results));
            means.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds / frames.Count);
        }

        frames.ForEach(f => f.Release());
        return BenchPaths.Median(means);
    }

    private static byte[] DecodeFrame(string clip, int second)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-nostdin", "-ss", second.ToString(CultureInfo.InvariantCulture), "-i", clip, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", "-" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        return process.ExitCode == 0 && bytes.Length == Width * Height * 3
            ? bytes.ToArray()
            : throw new InvalidOperationException($"ffmpeg could not decode a frame at {second} s: {stderr.Result}");
    }

    /// <summary>Debian opencv-doc's street scene (walking people) at 720p when installed, else ffmpeg's test pattern.</summary>
    private static async Task<string> MakeClipAsync(string path, CancellationToken cancellationToken)
    {
        const string Sample = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
        var real = File.Exists(Sample);
        var input = real ? new[] { "-stream_loop", "-1", "-i", Sample } : ["-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=25"];
        await RunToEndAsync(
            "ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", .. input, "-t", ClipSeconds.ToString(CultureInfo.InvariantCulture),
                "-vf", $"scale={Width}:{Height},fps=25", "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p", path],
            cancellationToken);
        return real ? "opencv's vtest.avi street scene scaled to 720p" : "testsrc2 at 720p";
    }

    private static async Task RunToEndAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = await process.StandardError.ReadToEndAsync(cancellationToken);
        await stdout;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr}");
        }
    }

    /// <summary>VmRSS of <paramref name="pid"/> in KiB, or null once it has gone.</summary>
    private static long? ReadRssKiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"camera (\S+): streaming ")]
    private static partial Regex StreamingLine();

    [GeneratedRegex(@", (\d+) frames, \d+ reconnects, (\d+) dropped")]
    private static partial Regex IngestLine();

    [GeneratedRegex(@": (\d+) frames analysed")]
    private static partial Regex DetectLine();
}
