using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Configuration;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Recording;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Bench;

/// <summary>
/// Frames per second delivered into a camera's channel by the real ingest stage (supervisor, ffmpeg
/// child, pooled buffers, DropOldest channel, a consumer releasing each frame) versus ffmpeg alone
/// writing the same raw frames to /dev/null: <c>ffmpeg -i CLIP -f rawvideo -pix_fmt bgr24 - &gt; /dev/null</c>.
/// Same clips, same run, alternating, medians. Clips: testsrc2 H.264 at 720p and 1080p, 25 fps.
/// A third column, ffmpeg piping into <c>cat &gt; /dev/null</c>, shows what the pipe alone costs:
/// any child-process decoder pays it, so it bounds what ingest can reach.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class IngestBenchmark : IBenchmark
{
    private const int Fps = 25;

    public string Name => "ingest";

    public string Description => "ingest stage fps into the channel vs ffmpeg alone to /dev/null (720p, 1080p)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 12;
        var directory = Directory.CreateTempSubdirectory("sensen-edge-bench-ingest-");
        try
        {
            Console.WriteLine($"ingest benchmark: {repetitions} repetitions, {seconds} s clips at {Fps} fps, bgr24, software decode");
            Console.WriteLine($"{"clip",-6} {"frames",7} {"ingest fps",11} {"ffmpeg fps",11} {"ratio",6} {"ffmpeg|cat",11} {"ratio",6} {"dropped",8}");
            foreach (var (label, width, height) in Clips)
            {
                var r = await MeasureAsync(directory.FullName, label, width, height, repetitions, seconds, cancellationToken);
                var (o, a, p) = (Median(r.Ours), Median(r.Alone), Median(r.Piped));
                Console.WriteLine($"{label,-6} {r.Frames,7} {o,11:0.0} {a,11:0.0} {o / a,6:0.000} {p,11:0.0} {o / p,6:0.000} {r.Dropped,8}");
                Console.WriteLine($"       ingest runs: {string.Join(" ", r.Ours.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}");
                Console.WriteLine($"       ffmpeg runs: {string.Join(" ", r.Alone.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}");
                Console.WriteLine($"       ffmpeg|cat:  {string.Join(" ", r.Piped.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}");
                Console.WriteLine($"       managed bytes allocated per frame after warm-up (whole process): {Median(r.Allocations):0}");
            }

            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The clips measured: 720p and 1080p testsrc2.</summary>
    public static readonly IReadOnlyList<(string Label, int Width, int Height)> Clips = [("720p", 1280, 720), ("1080p", 1920, 1080)];

    /// <summary>The suite's figures for one clip: ingest against ffmpeg alone (the issue's goal, 0.95) and against <c>ffmpeg | cat</c>.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> FiguresAsync(string label, int width, int height, int repetitions, int seconds, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-edge-bench-ingest-");
        try
        {
            var r = await MeasureAsync(directory.FullName, label, width, height, repetitions, seconds, cancellationToken);
            var what = $"{label} H.264 ({r.Frames} frames, {r.Dropped} dropped) into the camera's channel";
            return
            [
                new("ingest", what + " vs `ffmpeg … > /dev/null`", Median(r.Ours), Median(r.Alone), "fps", BenchGoal.Minimum(0.95)),
                new("ingest", what + " vs `ffmpeg … | cat > /dev/null`", Median(r.Ours), Median(r.Piped), "fps", BenchGoal.Minimum(0.95)),
            ];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Each side's fps per repetition on one clip, alternating which goes first.</summary>
    public sealed record Result(List<double> Ours, List<double> Alone, List<double> Piped, List<double> Allocations, long Frames, long Dropped);

    public static async Task<Result> MeasureAsync(string directory, string label, int width, int height, int repetitions, int seconds, CancellationToken cancellationToken)
    {
        var clip = Path.Combine(directory, $"{label}.mp4");
        await MakeClipAsync(clip, width, height, seconds, cancellationToken);
        var ours = new List<double>();
        var alone = new List<double>();
        var piped = new List<double>();
        var allocations = new List<double>();
        long frames = 0;
        long dropped = 0;
        for (var i = 0; i < repetitions; i++)
        {
            // Alternate which side goes first, so neither always meets a warm (or busy) machine.
            if (i % 2 == 0)
            {
                var run = await IngestOnceAsync(clip, width, height, (long)seconds * Fps, cancellationToken);
                ours.Add(run.Fps);
                allocations.Add(run.BytesPerFrame);
                alone.Add(await FfmpegAloneAsync(clip, run.Frames, DevNull, cancellationToken));
                piped.Add(await FfmpegAloneAsync(clip, run.Frames, IntoCat, cancellationToken));
                (frames, dropped) = (run.Frames, dropped + run.Dropped);
            }
            else
            {
                piped.Add(await FfmpegAloneAsync(clip, frames, IntoCat, cancellationToken));
                var baseline = await FfmpegAloneAsync(clip, frames, DevNull, cancellationToken);
                var run = await IngestOnceAsync(clip, width, height, (long)seconds * Fps, cancellationToken);
                alone.Add(baseline);
                ours.Add(run.Fps);
                allocations.Add(run.BytesPerFrame);
                dropped += run.Dropped;
            }
        }

        return new Result(ours, alone, piped, allocations, frames, dropped);
    }

    private static async Task<(double Fps, long Frames, long Dropped, double BytesPerFrame)> IngestOnceAsync(string clip, int width, int height, long expectedFrames, CancellationToken cancellationToken)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var tuning = new IngestTuning();
        var camera = new CameraOptions
        {
            Id = "bench",
            Url = new Uri(clip).AbsoluteUri,
            Hwaccel = HardwareAcceleration.None,
            Replay = ReplayPace.Fast,
            Analysis = new AnalysisOptions { Fps = Fps, Width = width, Height = height },
        };
        var metrics = new IngestMetrics(services.GetRequiredService<IMeterFactory>());
        var edges = new PipelineEdges([camera.Frames()], new RecordingOptions().PreRollSeconds, new PipelineTuning(), new PipelineMetrics(services.GetRequiredService<IMeterFactory>()));
        using var stage = new IngestStage(
            [camera], edges, metrics, new FfmpegFrameSourceFactory(tuning), new HardwareProbe(tuning),
            new CredentialStore(Path.GetTempPath()), tuning, TimeProvider.System, new PipelineStatus(), NullLogger<IngestStage>.Instance);

        var reader = edges.For("bench").ToDetection.Reader;
        var state = metrics.For("bench");

        // Fill the pool first: its buffers are made on first use, and that one-off growth is not
        // what the per-frame allocation figure is about.
        var pool = edges.For("bench").Frames;
        var warm = new List<Sensen.Edge.Frames.Frame>();
        while (pool.TryRent(out var f))
        {
            warm.Add(f);
        }

        warm.ForEach(f => f.Release());
        long allocatedNearEnd = 0;
        long deliveredNearEnd = 0;
        long delivered = 0;
        long allocatedAtFrame10 = 0;
        long deliveredAtFrame10 = 0;
        var clock = Stopwatch.StartNew();
        await stage.StartAsync(cancellationToken);
        // The consumer detection will be: take each frame, (analyse it), release it.
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var frame))
            {
                delivered++;
                frame.Release();
                if (delivered == 10)
                {
                    // After warm-up (JIT done) and before the run's end (process exit): the steady state.
                    (allocatedAtFrame10, deliveredAtFrame10) = (GC.GetTotalAllocatedBytes(precise: true), delivered);
                }
                else if (delivered == expectedFrames - 10)
                {
                    (allocatedNearEnd, deliveredNearEnd) = (GC.GetTotalAllocatedBytes(precise: true), delivered);
                }
            }

            if (state.State == CameraState.Finished && reader.Count == 0)
            {
                break;
            }
        }

        var elapsed = clock.Elapsed;
        var perFrame = (allocatedNearEnd - allocatedAtFrame10) / (double)Math.Max(1, deliveredNearEnd - deliveredAtFrame10);
        await stage.StopAsync(cancellationToken);
        return (delivered / elapsed.TotalSeconds, delivered, metrics.For("bench").Dropped, perFrame);
    }

    private const string DevNull = "exec ffmpeg -hide_banner -loglevel error -nostdin -i \"$1\" -f rawvideo -pix_fmt bgr24 - > /dev/null";
    private const string IntoCat = "ffmpeg -hide_banner -loglevel error -nostdin -i \"$1\" -f rawvideo -pix_fmt bgr24 - | cat > /dev/null";

    private static async Task<double> FfmpegAloneAsync(string clip, long frames, string script, CancellationToken cancellationToken)
    {
        // Exactly the reference command, through the shell for the redirection.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", script, "sh", clip })
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync(cancellationToken);
        return frames / clock.Elapsed.TotalSeconds;
    }

    private static async Task MakeClipAsync(string path, int width, int height, int seconds, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi",
            "-i", $"testsrc2=size={width}x{height}:rate={Fps}", "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p", path,
        })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not make the clip: " + errors);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
