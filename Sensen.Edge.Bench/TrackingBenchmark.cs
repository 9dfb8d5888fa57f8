using System.Diagnostics;
using System.Globalization;
using Sensen.Edge.Detection;
using Sensen.Edge.Rules;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Bench;

/// <summary>
/// Tracker + rules per frame at N tracks, against its floor: the N × N IoU matrix alone, which every
/// IoU-associating tracker must compute. Also the tracker alone, so the rules' share shows. 50 vehicles in
/// ten lanes move across a 1280×720 frame; one rule of every type watches them.
/// </summary>
internal sealed class TrackingBenchmark : IBenchmark
{
    private const int Width = 1280;
    private const int Height = 720;

    public string Name => "tracking";

    public string Description => "tracker+rules µs/frame vs the bare IoU matrix [tracks, default 50] [frames per run, default 2000] [runs, default 7]";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var tracks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var frames = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        var (iou, tracker, full) = Measure(tracks, frames, runs, cancellationToken);

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"tracks {tracks}, {frames} frames per run, {runs} runs, medians"));
        Console.WriteLine(string.Create(c, $"IoU matrix alone   {iou,8:0.0} µs/frame"));
        Console.WriteLine(string.Create(c, $"tracker            {tracker,8:0.0} µs/frame  ({tracker / iou:0.0}× the IoU matrix)"));
        Console.WriteLine(string.Create(c, $"tracker + 5 rules  {full,8:0.0} µs/frame  ({full / iou:0.0}× the IoU matrix)"));
        return Task.FromResult(0);
    }

    /// <summary>The suite's figures: tracker and tracker + rules against the IoU floor, and against the 1 ms target per frame.</summary>
    public static IReadOnlyList<BenchFigure> Figures(int tracks, int frames, int runs, CancellationToken cancellationToken)
    {
        var (iou, tracker, full) = Measure(tracks, frames, runs, cancellationToken);
        return
        [
            new("tracking", $"tracker per frame at {tracks} tracks vs the {tracks} × {tracks} IoU matrix alone", tracker, iou, "µs"),
            new("tracking", $"tracker + 5 rules per frame at {tracks} tracks vs the IoU matrix alone", full, iou, "µs"),
            new("tracking", $"tracker + 5 rules per frame at {tracks} tracks vs the 1 ms target", full, 1000, "µs", BenchGoal.Maximum(1)),
        ];
    }

    /// <summary>Medians over <paramref name="runs"/> of µs per frame: the IoU matrix alone, the tracker, the tracker with one rule of each type.</summary>
    public static (double Iou, double Tracker, double Full) Measure(int tracks, int frames, int runs, CancellationToken cancellationToken)
    {
        var scene = Scene(tracks, frames);
        var iou = new List<double>();
        var tracker = new List<double>();
        var full = new List<double>();
        for (var run = 0; run < runs && !cancellationToken.IsCancellationRequested; run++)
        {
            iou.Add(TimeIou(scene));
            tracker.Add(TimeTracking(scene, withRules: false));
            full.Add(TimeTracking(scene, withRules: true));
        }

        return (Median(iou), Median(tracker), Median(full));
    }

    private static DetectedObject[][] Scene(int tracks, int frames)
    {
        var random = new Random(1);
        var scene = new DetectedObject[frames][];
        for (var f = 0; f < frames; f++)
        {
            scene[f] = new DetectedObject[tracks];
            for (var i = 0; i < tracks; i++)
            {
                var lane = i % 10;
                var speed = 4 + (lane % 3);
                var x = ((i / 10 * 260) + (f * speed * (lane % 2 == 0 ? 1 : -1)) % Width + Width) % Width;
                var y = 40 + (lane * 68);
                var jitter = (float)(random.NextDouble() - 0.5);
                scene[f][i] = new DetectedObject(BoxF.FromCenter(x + jitter, y + jitter, 80, 56), ObjectClass.Car, 0.8f);
            }
        }

        return scene;
    }

    private static double TimeIou(DetectedObject[][] scene)
    {
        var sink = 0f;
        var started = Stopwatch.GetTimestamp();
        for (var f = 1; f < scene.Length; f++)
        {
            foreach (var a in scene[f - 1])
            {
                foreach (var b in scene[f])
                {
                    sink += a.Box.IntersectionOverUnion(b.Box);
                }
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds / (scene.Length - 1);
        return sink < 0 ? -1 : elapsed;
    }

    private static double TimeTracking(DetectedObject[][] scene, bool withRules)
    {
        var camera = new CameraRulesOptions
        {
            Zones = [Zone("lane", 0, 0, 0.5, 1), Zone("clearway", 0.5, 0, 1, 1)],
            Lines = [Line("stop", 0.5, 0, 0.5, 1), Line("a", 0.3, 0, 0.3, 1), Line("b", 0.7, 0, 0.7, 1)],
            Rules = withRules
                ?
                [
                    new RuleOptions { Id = "bus", Type = RuleKind.BusLane, Zone = "lane", Schedule = ["Mon-Fri 07:00-09:30"] },
                    new RuleOptions { Id = "stop", Type = RuleKind.NoStopping, Zone = "clearway" },
                    new RuleOptions { Id = "red", Type = RuleKind.RedLight, Line = "stop", Direction = LineDirection.Forward, Signal = new SignalOptions { Topic = "s" } },
                    new RuleOptions { Id = "wrong", Type = RuleKind.WrongWay, Line = "stop", Direction = LineDirection.Forward },
                    new RuleOptions { Id = "speed", Type = RuleKind.Speed, Line = "a", SecondLine = "b", DistanceMetres = 20, SpeedLimitKmh = 60 },
                ]
                : [],
        };
        var feeds = new SignalFeeds();
        var tracking = new CameraTracking("bench", new CameraRules("bench", camera, TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney"), feeds));
        var start = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

        // Warm-up: the tracks exist and every buffer has its size before the clock starts.
        const int warm = 50;
        for (var f = 0; f < warm; f++)
        {
            tracking.Process(Time(start, f), Width, Height, scene[f], analysed: true);
        }

        var started = Stopwatch.GetTimestamp();
        for (var f = warm; f < scene.Length; f++)
        {
            tracking.Process(Time(start, f), Width, Height, scene[f], analysed: true);
        }

        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / (scene.Length - warm);
    }

    private static FrameTime Time(DateTimeOffset start, int frame) => new(TimeSpan.FromMilliseconds(frame * 100), start.AddMilliseconds(frame * 100));

    private static ZoneOptions Zone(string id, double x1, double y1, double x2, double y2) =>
        new() { Id = id, Polygon = [new(x1, y1), new(x2, y1), new(x2, y2), new(x1, y2)] };

    private static LineOptions Line(string id, double x1, double y1, double x2, double y2) => new() { Id = id, From = new(x1, y1), To = new(x2, y2) };

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
