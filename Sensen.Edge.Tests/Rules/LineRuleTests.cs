using System.Globalization;
using Sensen.Edge.Rules;
using static Sensen.Edge.Tests.Rules.RuleHarness;

namespace Sensen.Edge.Tests.Rules;

/// <summary>red_light, wrong_way and speed on synthetic tracks crossing lines, with a fake clock.</summary>
public sealed class LineRuleTests
{
    private const string Topic = "sensen/signal/north";
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-30T08:00:00Z", CultureInfo.InvariantCulture);

    // Horizontal lines; "forward" across them is downwards in the image (left to right looking from x 0.1 to 0.9).
    private static CameraRulesOptions Camera(RuleOptions rule) => new()
    {
        Lines = [Line("stop", 0.1, 0.5, 0.9, 0.5), Line("a", 0.1, 0.3, 0.9, 0.3), Line("b", 0.1, 0.7, 0.9, 0.7)],
        Rules = [rule],
    };

    private static RuleOptions RedLight() => new()
    {
        Id = "red-light",
        Type = RuleKind.RedLight,
        Line = "stop",
        Direction = LineDirection.Forward,
        Signal = new SignalOptions { Topic = Topic },
    };

    /// <summary>
    /// A car drives down at 200 px/s from y 200 and crosses the stop line (y 500) at t = 1.5 s. The controller
    /// publishes <paramref name="first"/> until <paramref name="changeAt"/>, then <paramref name="then"/>.
    /// </summary>
    [TestCase("amber", 2.0, "red", 1, 0, TestName = "RedLight_CrossesOnAmberThenRed_Quiet")]
    [TestCase("red", 99.0, "red", 1, 1, TestName = "RedLight_CrossesOnRed_Fires")]
    [TestCase("amber", 1.53, "red", 1, 0, TestName = "RedLight_RedJustAfterCrossingInsideFrameInterval_Quiet")]
    [TestCase("amber", 1.45, "red", 1, 1, TestName = "RedLight_RedJustBeforeCrossing_Fires")]
    [TestCase("green", 99.0, "green", 1, 0, TestName = "RedLight_CrossesOnGreen_Quiet")]
    [TestCase("red", 99.0, "red", -1, 0, TestName = "RedLight_OtherDirectionOnRed_Quiet")]
    public void RedLight_Signal(string first, double changeAt, string then, int direction, int expected)
    {
        var harness = new RuleHarness(Camera(RedLight()), Start);
        var feed = harness.Feeds;
        harness.Run(4, t =>
        {
            feed.Publish(Topic, t < changeAt ? first : then, harness.Now);
            return [Car(500, direction > 0 ? 200 + (200 * t) : 800 - (200 * t))];
        });
        Assert.That(harness.Events, Has.Count.EqualTo(expected));
        if (expected == 1)
        {
            var e = harness.Events[0];
            var crossed = Start.AddSeconds(1.5);
            Assert.That(e.Signal, Is.EqualTo(SignalPhase.Red));
            Assert.That(e.RedSeconds, Is.EqualTo(first == "red" ? 1.5 : 1.5 - changeAt).Within(0.06));
            Assert.That(e.WindowStart, Is.LessThan(crossed));
            Assert.That(e.Boxes.Count, Is.GreaterThan(10));
        }
    }

    [Test]
    public void RedLight_FeedWentSilent_Quiet()
    {
        var harness = new RuleHarness(Camera(RedLight()), Start);
        harness.Feeds.Publish(Topic, "red", harness.Now);
        harness.Run(8, t => [Car(500, 200 + (200 * Math.Max(0, t - 5.5)))]); // crosses at 7 s, 7 s after the last message
        Assert.That(harness.Events, Is.Empty);
    }

    private static RuleOptions WrongWay(LineDirection permitted = LineDirection.Forward) => new()
    {
        Id = "wrong-way",
        Type = RuleKind.WrongWay,
        Line = "stop",
        Direction = permitted,
        MinTravel = 0.1,
    };

    [TestCase(-100.0, "Forward", 1, TestName = "WrongWay_DrivesAgainstPermittedDirection_Fires")]
    [TestCase(100.0, "Forward", 0, TestName = "WrongWay_DrivesPermittedDirection_Quiet")]
    [TestCase(100.0, "Backward", 1, TestName = "WrongWay_PermittedBackward_DownwardOffends")]
    [TestCase(-20.0, "Forward", 0, TestName = "WrongWay_ReversesLessThanMinTravel_Quiet")]
    public void WrongWay_Travel(double pixelsPerSecond, string permitted, int expected)
    {
        var harness = new RuleHarness(Camera(WrongWay(Enum.Parse<LineDirection>(permitted))), Start);
        harness.Run(4, t => [Car(500, 600 + (pixelsPerSecond * t))]);
        Assert.That(harness.Events, Has.Count.EqualTo(expected));
        if (expected == 1)
        {
            Assert.That(harness.Events[0].WrongWayTravel, Is.GreaterThanOrEqualTo(0.1).And.LessThan(0.12));
        }
    }

    [Test]
    public void WrongWay_ParkedCarJitters_Quiet()
    {
        var harness = new RuleHarness(Camera(WrongWay()), Start);
        var random = new Random(5);
        harness.Run(300, _ => [Car(500 + ((random.NextDouble() - 0.5) * 8), 600 + ((random.NextDouble() - 0.5) * 8))]);
        Assert.That(harness.Events, Is.Empty);
    }

    private static RuleOptions Speed(LineDirection? direction = LineDirection.Forward) => new()
    {
        Id = "speed-60",
        Type = RuleKind.Speed,
        Line = "a",
        SecondLine = "b",
        Direction = direction,
        DistanceMetres = 20,
        SpeedLimitKmh = 60,
        ToleranceKmh = 3,
    };

    /// <summary>
    /// Lines a (y 300) and b (y 700) are 400 px and 20 m apart; a car at <paramref name="kmh"/> drives down
    /// (or up) with ±1.5 px of detector noise. Limit 60 + tolerance 3.
    /// </summary>
    [TestCase(62.0, 1, 0, TestName = "Speed_JustUnderTolerance_Quiet")]
    [TestCase(64.5, 1, 1, TestName = "Speed_JustOverTolerance_Fires")]
    [TestCase(90.0, 1, 1, TestName = "Speed_WellOver_Fires")]
    [TestCase(90.0, -1, 0, TestName = "Speed_OtherDirection_Quiet")]
    public void Speed_Measured(double kmh, int direction, int expected)
    {
        var harness = new RuleHarness(Camera(Speed()), Start);
        var pixelsPerSecond = 400 / (20 / (kmh / 3.6));
        var random = new Random(3);
        double Noise() => (random.NextDouble() - 0.5) * 3;
        harness.Run(6, t =>
        {
            var y = direction > 0 ? 100 + (pixelsPerSecond * t) : 900 - (pixelsPerSecond * t);
            return y is > 0 and < 1000 ? [Car(500 + Noise(), y + Noise(), width: 160, height: 120)] : [];
        });
        Assert.That(harness.Events, Has.Count.EqualTo(expected), string.Join("\n", harness.Events.Select(e => e.Describe())));
        if (expected == 1)
        {
            var e = harness.Events[0];
            TestContext.Out.WriteLine(e.Describe());
            Assert.That(e.SpeedKmh, Is.EqualTo(kmh).Within(1.5));
            Assert.That(e.SpeedUncertaintyKmh, Is.GreaterThan(0.5).And.LessThan(kmh * 0.15)); // 10 fps over 20 m: a few per cent at k = 2
            Assert.That(e.Boxes[0].Time.Wall, Is.GreaterThanOrEqualTo(e.WindowStart));
        }
    }

    [Test]
    public void Speed_NoDirection_TimesEitherWay()
    {
        var harness = new RuleHarness(Camera(Speed(direction: null)), Start);
        var pixelsPerSecond = 400 / (20 / (90 / 3.6));
        harness.Run(6, t => 900 - (pixelsPerSecond * t) is var y && y > 0 ? [Car(500, y, width: 160, height: 120)] : []);
        Assert.That(harness.Events, Has.Count.EqualTo(1));
        Assert.That(harness.Events[0].SpeedKmh, Is.EqualTo(90).Within(1.5));
    }
}
