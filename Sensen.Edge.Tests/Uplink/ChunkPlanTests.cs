using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Tests.Uplink;

public sealed class ChunkPlanTests
{
    [TestCase(1L, 4096, 1, 1)]
    [TestCase(4096L, 4096, 1, 4096)]
    [TestCase(4097L, 4096, 2, 1)]
    [TestCase(300_000L, 32768, 10, 300_000 - (9 * 32768))]
    public void Plan_Sizes_CountAndLastLength(long sealedBytes, int chunkBytes, int count, int lastLength)
    {
        var plan = new ChunkPlan(sealedBytes, chunkBytes);

        Assert.That(plan.Count, Is.EqualTo(count));
        Assert.That(plan.Length(count - 1), Is.EqualTo(lastLength));
        Assert.That(Enumerable.Range(0, count).Sum(i => (long)plan.Length(i)), Is.EqualTo(sealedBytes));
    }

    [TestCase(131072, null, 131072)]
    [TestCase(131072, 0u, 131072)]
    [TestCase(131072, 268435455u, 131072)]
    [TestCase(131072, 65536u, 65536 - 1024)]
    [TestCase(131072, 2048u, 1024)]
    [TestCase(131072, 2047u, null)]
    public void EffectiveChunkBytes_BrokerLimit_FitsOrRefuses(int configured, uint? brokerMaximum, int? expected)
    {
        Assert.That(ChunkPlan.EffectiveChunkBytes(configured, brokerMaximum), Is.EqualTo(expected));
    }

    [Test]
    public void DelayFor_OverTheCap_WaitsForTheDeficitAndRefills()
    {
        var time = new FakeTimeProvider();
        var limiter = new BandwidthLimiter(100_000, time);

        Assert.That(limiter.DelayFor(100_000), Is.EqualTo(TimeSpan.Zero), "a full bucket holds one second");
        Assert.That(limiter.DelayFor(50_000), Is.EqualTo(TimeSpan.FromSeconds(0.5)));
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.That(limiter.DelayFor(100_000), Is.EqualTo(TimeSpan.Zero), "refilled, never beyond one second's worth");
        Assert.That(new BandwidthLimiter(0, time).DelayFor(int.MaxValue), Is.EqualTo(TimeSpan.Zero), "0 is no cap");
    }
}
