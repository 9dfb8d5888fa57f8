using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Tests.Uplink;

/// <summary>A broker with a small <c>max_packet_size</c>: the uplink cuts its chunks to fit what CONNACK announces.</summary>
[TestFixture]
[CancelAfter(120_000)]
internal sealed class UplinkSmallPacketTests
{
    private const int MaxPacket = 6144;
    private MosquittoBroker _broker = null!;

    [OneTimeSetUp]
    public async Task StartBroker() => _broker = await MosquittoBroker.StartAsync(["city-rx-small"], maxPacketSize: MaxPacket);

    [OneTimeTearDown]
    public void StopBroker() => _broker.Dispose();

    [Test]
    public async Task Deliver_BrokerMaximumPacketBelowChunkSize_ChunksShrinkToFitAndArrive(CancellationToken cancellationToken)
    {
        await using var bench = new UplinkBench(_broker, "unit-small-01", new UplinkOptions { ChunkBytes = 128 * 1024 });
        var clip = VaultTestEnvironment.Clip(50_000, seed: 50);
        var item = await bench.SealAsync(clip, cancellationToken);
        bench.StartReceiver("city-rx-small");
        var stage = await bench.StartDeviceAsync(cancellationToken: cancellationToken);

        await Eventually.AssertAsync(() => bench.Vault.List().Count == 0, TimeSpan.FromSeconds(90), bench.Diagnostics, cancellationToken);

        var chunk = ChunkPlan.EffectiveChunkBytes(128 * 1024, MaxPacket)!.Value;
        Assert.That(chunk, Is.EqualTo(MaxPacket - UplinkProtocol.ChunkOverheadBytes));
        Assert.That(stage.Publisher.ChunksSent, Is.EqualTo(new ChunkPlan(item.SealedBytes, chunk).Count), "every chunk went once, none refused as too large");
        Assert.That(bench.DeviceLog.Text, Does.Contain($"broker maximum packet {MaxPacket} bytes"));
        Assert.That(File.ReadAllBytes(bench.ReceivedClip(item.Id)), Is.EqualTo(clip));
    }
}
