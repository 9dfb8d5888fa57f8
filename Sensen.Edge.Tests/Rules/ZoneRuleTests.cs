using System.Globalization;
using Sensen.Edge.Detection;
using Sensen.Edge.Rules;
using static Sensen.Edge.Tests.Rules.RuleHarness;

namespace Sensen.Edge.Tests.Rules;

/// <summary>bus_lane and no_stopping on synthetic tracks: dwell, schedules (DST included), cooldown, occlusion, stays.</summary>
public sealed class ZoneRuleTests
{
    // The lane: x 0.2..0.4, y 0.3..0.9 of the image.
    private static CameraRulesOptions Camera(params RuleOptions[] rules) => new()
    {
        Zones = [Zone("lane", 0.2, 0.3, 0.4, 0.9), Zone("clearway", 0.6, 0.3, 0.9, 0.9)],
        Rules = rules,
    };

    private static RuleOptions BusLane(double dwell = 3, string[]? schedule = null, double cooldown = 0) => new()
    {
        Id = "bus-lane",
        Type = RuleKind.BusLane,
        Zone = "lane",
        DwellSeconds = dwell,
        Schedule = schedule ?? [],
        CooldownSeconds = cooldown,
    };

    private static RuleOptions NoStopping(double dwell = 30) => new() { Id = "no-stopping", Type = RuleKind.NoStopping, Zone = "clearway", DwellSeconds = dwell };

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // Monday 30 November 2026, UTC device; the car sits in the lane for the given seconds from the given time.
    [TestCase("2026-11-30T08:00:00", 5.0, 1, TestName = "BusLane_InScheduleLongerThanDwell_Fires")]
    [TestCase("2026-11-30T08:00:00", 2.5, 0, TestName = "BusLane_ShorterThanDwell_Quiet")]
    [TestCase("2026-11-30T06:59:58", 4.0, 0, TestName = "BusLane_ScheduleOpensDuringStay_OnlyTimeInScheduleCounts")]
    [TestCase("2026-11-30T06:59:58", 5.5, 1, TestName = "BusLane_ScheduleOpensDuringStay_FiresAfterDwellInSchedule")]
    [TestCase("2026-11-30T09:29:58", 5.0, 0, TestName = "BusLane_ScheduleClosesDuringStay_Quiet")]
    [TestCase("2026-11-29T08:00:00", 5.0, 0, TestName = "BusLane_Sunday_Quiet")]
    public void BusLane_Schedule(string startUtc, double seconds, int expected)
    {
        var harness = new RuleHarness(Camera(BusLane(schedule: ["Mon-Fri 07:00-09:30"])), Utc(startUtc));
        harness.Run(seconds, _ => [Car(300, 600)]);
        Assert.That(harness.Events, Has.Count.EqualTo(expected));
        if (expected == 1)
        {
            var e = harness.Events[0];
            Assert.That(e.DwellSeconds, Is.GreaterThanOrEqualTo(3).And.LessThan(3.3));
            Assert.That(e.WindowStart, Is.GreaterThanOrEqualTo(Utc("2026-11-30T07:00:00")));
            Assert.That(e.Boxes, Is.Not.Empty);
            Assert.That(e.Boxes[0].Time.Wall, Is.GreaterThanOrEqualTo(e.WindowStart));
        }
    }

    // Sydney moves from AEST (+10) to AEDT (+11) at 02:00 on Sunday 4 October 2026. "Daily 07:00-09:30" local:
    // 21:00Z on the 2nd is 07:00 AEST; 20:00Z on the 3rd is 07:00 AEDT. A fixed +10 offset gets the second wrong.
    [TestCase("2026-10-02T21:00:30", 1, TestName = "BusLane_BeforeDaylightSaving_OpensAtLocalSeven")]
    [TestCase("2026-10-02T20:30:00", 0, TestName = "BusLane_BeforeDaylightSaving_ClosedAtLocalSixThirty")]
    [TestCase("2026-10-03T20:00:30", 1, TestName = "BusLane_AfterDaylightSaving_OpensAtLocalSeven")]
    [TestCase("2026-10-03T19:30:00", 0, TestName = "BusLane_AfterDaylightSaving_ClosedAtLocalSixThirty")]
    [TestCase("2026-10-03T22:29:58", 0, TestName = "BusLane_AfterDaylightSaving_ClosedAtLocalNineThirty")]
    public void BusLane_DaylightSaving(string startUtc, int expected)
    {
        var harness = new RuleHarness(Camera(BusLane(schedule: ["Daily 07:00-09:30"])), Utc(startUtc), "Australia/Sydney");
        harness.Run(5, _ => [Car(300, 600)]);
        Assert.That(harness.Events, Has.Count.EqualTo(expected));
    }

    [TestCase(0, 2, 0)]
    [TestCase(60, 1, 1)]
    public void BusLane_TwoCarsInQuickSuccession_CooldownSuppressesSecond(double cooldown, int events, int suppressed)
    {
        var harness = new RuleHarness(Camera(BusLane(dwell: 1, cooldown: cooldown)), Utc("2026-11-30T08:00:00"));
        harness.Run(3, t => t < 1 ? [Car(300, 400)] : [Car(300, 400), Car(300, 800)]);
        Assert.That(harness.Events, Has.Count.EqualTo(events));
        Assert.That(harness.Rules.Rules[0].Suppressed, Is.EqualTo(suppressed));
    }

    [Test]
    public void BusLane_ShortOcclusion_SameTrackDwellKept()
    {
        var harness = new RuleHarness(Camera(BusLane(dwell: 3)), Utc("2026-11-30T08:00:00"));
        harness.Run(1.5, _ => [Car(300, 600)]);
        harness.Run(1.0, _ => []); // hidden behind a bus for a second
        harness.Run(1.0, _ => [Car(300, 600)]);
        Assert.That(harness.Events, Has.Count.EqualTo(1));
        Assert.That(harness.Events[0].TrackId, Is.EqualTo(1));
        Assert.That(harness.Events[0].DwellSeconds, Is.GreaterThanOrEqualTo(3).And.LessThan(3.3));
    }

    [Test]
    public void BusLane_StaysLong_FiresOncePerTrack()
    {
        var harness = new RuleHarness(Camera(BusLane(dwell: 1)), Utc("2026-11-30T08:00:00"));
        harness.Run(60, _ => [Car(300, 600)]);
        Assert.That(harness.Events, Has.Count.EqualTo(1));
    }

    [TestCase(0.9, 1)]
    [TestCase(0.62, 0)]
    public void BusLane_MinConfidence(double score, int expected)
    {
        var rule = BusLane(dwell: 1) with { MinConfidence = 0.7 };
        var harness = new RuleHarness(Camera(rule), Utc("2026-11-30T08:00:00"));
        harness.Run(3, _ => [Car(300, 600, score)]);
        Assert.That(harness.Events, Has.Count.EqualTo(expected));
    }

    [TestCase("BottomCentre", 0)]
    [TestCase("TopCentre", 1)]
    public void BusLane_TallVehicleRoofOverLane_ReferencePointDecides(string point, int expected)
    {
        // A tall truck below the lane (wheels at y 0.95, the lane ends at 0.9) whose roof (y 0.6) leans over it.
        var rule = BusLane(dwell: 1) with { ReferencePoint = Enum.Parse<ReferencePoint>(point), Classes = [ObjectClass.Truck] };
        var harness = new RuleHarness(Camera(rule), Utc("2026-11-30T08:00:00"));
        harness.Run(3, _ => [Car(300, 950, height: 350, objectClass: ObjectClass.Truck)]);
        Assert.That(harness.Events, Has.Count.EqualTo(expected));
    }

    [Test]
    public void BusLane_ClassNotListed_Quiet()
    {
        var harness = new RuleHarness(Camera(BusLane(dwell: 1)), Utc("2026-11-30T08:00:00"));
        harness.Run(3, _ => [Car(300, 600, objectClass: ObjectClass.Bus)]);
        Assert.That(harness.Events, Is.Empty);
    }

    [Test]
    public void NoStopping_ParkedForAnHourWithJitterMissesAndOcclusion_FiresExactlyOnce()
    {
        var harness = new RuleHarness(Camera(NoStopping(dwell: 30)), Utc("2026-11-30T08:00:00"));
        var random = new Random(11);
        harness.Run(3600, t =>
        {
            if ((t > 1200 && t < 1201) || random.NextDouble() < 0.1)
            {
                return []; // a passing bus hides it for a second; 10 % missed detections
            }

            var j = (random.NextDouble() - 0.5) * 6;
            return [Car(750 + j, 600 + j, 0.6 + (0.3 * random.NextDouble()))];
        });
        Assert.That(harness.Events, Has.Count.EqualTo(1), string.Join("\n", harness.Events.Select(e => e.Describe())));
        Assert.That(harness.Events[0].Kind, Is.EqualTo(RuleKind.NoStopping));
        Assert.That(harness.Events[0].DwellSeconds, Is.GreaterThanOrEqualTo(30).And.LessThan(31));
        Assert.That(harness.Events[0].WindowEnd - harness.Events[0].WindowStart, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void NoStopping_DrivesThroughWithoutStopping_Quiet()
    {
        var harness = new RuleHarness(Camera(NoStopping(dwell: 2)), Utc("2026-11-30T08:00:00"));
        harness.Run(12, t => [Car(750, 200 + (t * 60))]); // 60 px/s through the clearway (y 300..900)
        Assert.That(harness.Events, Is.Empty);
    }

    [Test]
    public void NoStopping_LeavesAndStopsAgain_FiresOncePerStay()
    {
        var harness = new RuleHarness(Camera(NoStopping(dwell: 5)), Utc("2026-11-30T08:00:00"));
        harness.Run(20, _ => [Car(750, 600)]);
        harness.Run(3, t => [Car(750 - (t * 100), 600)]); // drives out to x 450, left of the clearway
        harness.Run(5, _ => [Car(450, 600)]);
        harness.Run(3, t => [Car(450 + (t * 100), 600)]); // back in
        harness.Run(20, _ => [Car(750, 600)]);
        Assert.That(harness.Events, Has.Count.EqualTo(2));
        Assert.That(harness.Events.Select(e => e.TrackId).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void NoStopping_SlowQueueCreepsThrough_Quiet()
    {
        var harness = new RuleHarness(Camera(NoStopping(dwell: 10)), Utc("2026-11-30T08:00:00"));
        // Stop-and-go: 4 s still, then 1 s moving 60 px, repeated across the zone.
        harness.Run(40, t => [Car(750, 320 + (60 * Math.Min(t % 5, 1)) + (60 * Math.Floor(t / 5)))]);
        Assert.That(harness.Events, Is.Empty);
    }
}
