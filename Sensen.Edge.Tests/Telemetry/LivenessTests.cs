using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tests.Telemetry;

internal sealed class LivenessTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Test]
    public void Check_CounterMoves_NotStuck()
    {
        var liveness = new Liveness();
        var frames = 0L;
        liveness.Register("detect cam", () => frames, () => false);

        for (var s = 0; s <= 60; s += 5)
        {
            frames++;
            Assert.That(liveness.Check(Start.AddSeconds(s), Interval), Is.Empty);
        }
    }

    [Test]
    public void Check_CounterStillForLongerThanInterval_NamesTheStage()
    {
        var liveness = new Liveness();
        liveness.Register("ingest cam", () => 0, () => false);
        liveness.Register("detect cam", () => 7, () => false);

        Assert.That(liveness.Check(Start, Interval), Is.Empty, "the first look only records the counters");
        Assert.That(liveness.Check(Start.AddSeconds(10), Interval), Is.Empty, "exactly one interval is still alive");
        var stuck = liveness.Check(Start.AddSeconds(11), Interval);

        Assert.That(stuck.Select(s => s.Stage), Is.EqualTo(new[] { "ingest cam", "detect cam" }));
        Assert.That(stuck[0].Since, Is.EqualTo(TimeSpan.FromSeconds(11)));
    }

    [Test]
    public void Check_WaitingState_NeverStuck()
    {
        // A camera that keeps reconnecting makes no frames, and that is a known back-off, not a wedge.
        var liveness = new Liveness();
        var reconnecting = true;
        liveness.Register("ingest cam", () => 0, () => reconnecting);

        Assert.That(liveness.Check(Start, Interval), Is.Empty);
        Assert.That(liveness.Check(Start.AddMinutes(30), Interval), Is.Empty);

        reconnecting = false;
        Assert.That(liveness.Check(Start.AddMinutes(30).AddSeconds(5), Interval), Is.Empty, "the clock starts when waiting ends");
        Assert.That(liveness.Check(Start.AddMinutes(30).AddSeconds(16), Interval), Has.Count.EqualTo(1));
    }

    [Test]
    public void Check_Allowance_LongerThanInterval_Wins()
    {
        var liveness = new Liveness();
        liveness.Register("ingest cam", () => 0, () => false, TimeSpan.FromSeconds(30));
        liveness.Check(Start, Interval);

        Assert.That(liveness.Check(Start.AddSeconds(29), Interval), Is.Empty);
        Assert.That(liveness.Check(Start.AddSeconds(31), Interval), Has.Count.EqualTo(1));
    }

    [Test]
    public void Probe_BusyTooLong_StuckAndIdleRecovers()
    {
        var liveness = new Liveness();
        var probe = liveness.Probe("vault");
        liveness.Check(Start, Interval);

        probe.Busy();
        Assert.That(liveness.Check(Start.AddSeconds(1), Interval), Is.Empty, "the beat of Busy() is progress");
        Assert.That(liveness.Check(Start.AddSeconds(12), Interval).Single().Stage, Is.EqualTo("vault"));

        probe.Idle();
        Assert.That(liveness.Check(Start.AddSeconds(13), Interval), Is.Empty);
        Assert.That(liveness.Check(Start.AddHours(2), Interval), Is.Empty, "an idle probe waits for its next interval");
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task WedgeIfTestedAsync_NamedProbe_NeverReturnsUntilCancelled(CancellationToken cancellationToken)
    {
        var liveness = new Liveness(wedged: "vault");
        var wedged = liveness.Probe("vault").WedgeIfTestedAsync(cancellationToken);
        var other = liveness.Probe("uplink").WedgeIfTestedAsync(cancellationToken);

        Assert.That(other.IsCompleted, Is.True);
        Assert.That(await Task.WhenAny(wedged, Task.Delay(200, cancellationToken)), Is.Not.SameAs(wedged));
    }
}
