using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Detection;
using Sensen.Edge.Rules;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Rules;

/// <summary>
/// Drives a camera's rules the way the stage does: synthetic detections through the real tracker, the frame's
/// time from a <see cref="FakeTimeProvider"/> advanced one frame interval per step. Frames are 1000×1000 so
/// pixel and image-fraction coordinates read alike (x 0.3 is pixel 300).
/// </summary>
internal sealed class RuleHarness
{
    public const int Size = 1000;
    private readonly DateTimeOffset _start;

    public RuleHarness(CameraRulesOptions camera, DateTimeOffset start, string timeZone = "UTC", double fps = 10)
    {
        _start = start;
        Clock = new FakeTimeProvider(start);
        Interval = TimeSpan.FromSeconds(1 / fps);
        Feeds = new SignalFeeds();
        Rules = new CameraRules("cam", camera, TimeZoneInfo.FindSystemTimeZoneById(timeZone), Feeds);
    }

    public FakeTimeProvider Clock { get; }

    public TimeSpan Interval { get; }

    public ObjectTracker Tracker { get; } = new();

    public SignalFeeds Feeds { get; }

    public CameraRules Rules { get; }

    public List<ViolationEvent> Events { get; } = [];

    public DateTimeOffset Now => Clock.GetUtcNow();

    public double Elapsed => (Now - _start).TotalSeconds;

    /// <summary>One frame with these detections (score 0.9 cars unless given), then the clock moves on.</summary>
    public void Step(params DetectedObject[] detections)
    {
        var time = new FrameTime(Now - _start, Now);
        Tracker.Update(detections, time);
        Rules.Evaluate(new RuleFrame("cam", time, Size, Size), Tracker.Confirmed, Tracker.Removed, Events);
        Clock.Advance(Interval);
    }

    /// <summary>Steps for <paramref name="seconds"/>, asking <paramref name="scene"/> for the detections at each time since the call.</summary>
    public void Run(double seconds, Func<double, IEnumerable<DetectedObject>> scene)
    {
        var from = Elapsed;
        while (Elapsed - from < seconds - 1e-9)
        {
            Step([.. scene(Elapsed - from)]);
        }
    }

    public static DetectedObject Car(double cx, double bottom, double score = 0.9, double width = 80, double height = 60, ObjectClass objectClass = ObjectClass.Car) =>
        new(new BoxF((float)(cx - (width / 2)), (float)(bottom - height), (float)(cx + (width / 2)), (float)bottom), objectClass, (float)score);

    public static ZoneOptions Zone(string id, double x1, double y1, double x2, double y2) =>
        new() { Id = id, Polygon = [new(x1, y1), new(x2, y1), new(x2, y2), new(x1, y2)] };

    public static LineOptions Line(string id, double x1, double y1, double x2, double y2) =>
        new() { Id = id, From = new(x1, y1), To = new(x2, y2) };
}
