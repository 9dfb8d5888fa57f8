using System.Security.Cryptography;
using MQTTnet;
using MQTTnet.Protocol;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Uplink;

/// <summary>
/// The uplink over a real vault, a real mosquitto with TLS, client certificates and an ACL, and the
/// reference receiver: delivery, deletion only on the city's signed ack, and the failures around it.
/// One broker for the fixture; each test is its own device (own id, own vault, own ack topic).
/// </summary>
[TestFixture]
[CancelAfter(180_000)]
internal sealed class UplinkEndToEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private MosquittoBroker _broker = null!;

    [OneTimeSetUp]
    public async Task StartBroker() => _broker = await MosquittoBroker.StartAsync(["city-rx-1", "city-rx-2", "city-rx-3", "city-rx-4", "city-rx-5", "city-rx-6"]);

    [OneTimeTearDown]
    public void StopBroker() => _broker.Dispose();

    [Test]
    public async Task Deliver_ThroughBrokerAndReceiver_DeletesOnSignedAckAndClipIsByteIdentical(CancellationToken cancellationToken)
    {
        await using var bench = new UplinkBench(_broker, "unit-e2e-01", new UplinkOptions { ChunkBytes = 32 * 1024 });
        var clips = new[] { VaultTestEnvironment.Clip(300_000, seed: 1), VaultTestEnvironment.Clip(70_000, seed: 2) };
        var first = await bench.SealAsync(clips[0], cancellationToken);
        var second = await bench.SealAsync(clips[1], cancellationToken);
        bench.Vault.Hold(second.Id, "court order 17");
        var manifest = bench.Vault.ReadManifest(first.Id).Json;

        bench.StartReceiver("city-rx-1");
        await bench.StartDeviceAsync(cancellationToken: cancellationToken);
        await Eventually.AssertAsync(() => bench.Vault.List().Count == 0, Deadline, bench.Diagnostics, cancellationToken);

        Assert.That(File.ReadAllBytes(bench.ReceivedClip(first.Id)), Is.EqualTo(clips[0]), "first clip, byte for byte");
        Assert.That(File.ReadAllBytes(bench.ReceivedClip(second.Id)), Is.EqualTo(clips[1]), "held clip is delivered too");
        Assert.That(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(bench.ReceivedClip(first.Id))!, "manifest.json")), Is.EqualTo(manifest));
        Assert.That(bench.Stage!.Publisher.ChunksSent, Is.GreaterThanOrEqualTo(10 + 3), "300 kB in 32 KiB chunks is 10, 70 kB is 3");
        Assert.That(File.ReadAllText(bench.Environment.AuditLogPath), Does.Contain("acknowledged"));
    }

    [Test]
    public async Task Deliver_BrokerSigkilledMidTransfer_ResumesAndDeliversEverything(CancellationToken cancellationToken)
    {
        // A second broker: killing the fixture's would disturb the other tests.
        using var broker = await MosquittoBroker.StartAsync(["city-rx-k"]);
        await using var bench = new UplinkBench(broker, "unit-kill-01", new UplinkOptions { ChunkBytes = 16 * 1024, BandwidthBytesPerSecond = 1_000_000 });
        var clip = VaultTestEnvironment.Clip(2_500_000, seed: 3);
        var item = await bench.SealAsync(clip, cancellationToken);
        bench.StartReceiver("city-rx-k");
        var stage = await bench.StartDeviceAsync(cancellationToken: cancellationToken);

        await Eventually.AssertAsync(() => stage.Publisher.ChunksSent >= 30, Deadline, bench.Diagnostics, cancellationToken);
        broker.Kill();
        Assert.That(bench.Vault.Find(item.Id), Is.Not.Null, "nothing is deleted without an ack");
        await broker.RestartAsync();

        await Eventually.AssertAsync(() => bench.Vault.List().Count == 0, Deadline, bench.Diagnostics, cancellationToken);
        Assert.That(File.ReadAllBytes(bench.ReceivedClip(item.Id)), Is.EqualTo(clip));
    }

    [Test]
    public async Task HandleAck_ForgedAndReplayedAcks_AreRefusedCountedAndDeleteNothing(CancellationToken cancellationToken)
    {
        await using var bench = new UplinkBench(_broker, "unit-forge-01", ackTimeoutSeconds: 3600);
        var a = await bench.SealAsync(VaultTestEnvironment.Clip(5000, seed: 4), cancellationToken);
        var b = await bench.SealAsync(VaultTestEnvironment.Clip(6000, seed: 5), cancellationToken);
        var stage = await bench.StartDeviceAsync(cancellationToken: cancellationToken);
        await Eventually.AssertAsync(() => bench.Vault.List().All(r => r.State == EvidenceState.AwaitingAck), Deadline, bench.Diagnostics, cancellationToken);

        // Through the broker, as a city receiver identity would publish them (the ACL lets receivers write acks).
        await using var city = await ConnectAsync("city-rx-2", cancellationToken);
        var ackTopic = $"{MosquittoBroker.Prefix}/{bench.DeviceId}/ack";
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = new AckSigner(forger).Received(bench.DeviceId, a.Id, a.SealedSha256, DateTimeOffset.UtcNow);
        await PublishAsync(city, ackTopic, forged, cancellationToken);
        var genuineForA = bench.Signer().Received(bench.DeviceId, a.Id, a.SealedSha256, DateTimeOffset.UtcNow);
        await PublishAsync(city, ackTopic, genuineForA, cancellationToken);
        await Eventually.AssertAsync(() => bench.Vault.Find(a.Id) is null, Deadline, bench.Diagnostics, cancellationToken);

        // The same genuine ack again (replayed), and one for b that names a's hash (mismatched).
        await PublishAsync(city, ackTopic, genuineForA, cancellationToken);
        await PublishAsync(city, ackTopic, bench.Signer().Received(bench.DeviceId, b.Id, a.SealedSha256, DateTimeOffset.UtcNow), cancellationToken);
        await PublishAsync(city, ackTopic, bench.Signer().Received(bench.DeviceId, b.Id, b.SealedSha256, DateTimeOffset.UtcNow.AddDays(-30)), cancellationToken);
        await Eventually.AssertAsync(() => stage.Outcomes.Values.Sum() >= 4, Deadline, () => string.Join(", ", stage.Outcomes) + "\n" + bench.Diagnostics(), cancellationToken);

        Assert.That(bench.Vault.Find(b.Id)?.State, Is.EqualTo(EvidenceState.AwaitingAck), "b is still waiting");
        Assert.That(stage.Outcomes.Keys, Is.SupersetOf(new[] { "refused_unknown_key", "unknown", "hash_mismatch" }), string.Join(", ", stage.Outcomes));
        Assert.That(stage.Outcomes.Keys.Any(k => k.StartsWith("refused_stale", StringComparison.Ordinal)), string.Join(", ", stage.Outcomes));
    }

    [Test]
    public async Task Deliver_TwoReceiversInOneSharedGroup_EachItemStoredAndAcknowledgedOnce(CancellationToken cancellationToken)
    {
        await using var bench = new UplinkBench(_broker, "unit-share-01", new UplinkOptions { ChunkBytes = 8192 });
        var clips = Enumerable.Range(0, 6).Select(i => VaultTestEnvironment.Clip(40_000 + (i * 1000), seed: 10 + i)).ToList();
        var items = new List<EvidenceRecord>();
        foreach (var clip in clips)
        {
            items.Add(await bench.SealAsync(clip, cancellationToken));
        }

        var one = bench.StartReceiver("city-rx-3", group: "pair");
        var two = bench.StartReceiver("city-rx-4", group: "pair");
        await bench.StartDeviceAsync(cancellationToken: cancellationToken);
        await Eventually.AssertAsync(() => bench.Vault.List().Count == 0, Deadline, bench.Diagnostics, cancellationToken);

        Assert.That(one.Store.StoredCount + two.Store.StoredCount, Is.EqualTo(6), "each item verified and written by exactly one instance");
        for (var i = 0; i < items.Count; i++)
        {
            Assert.That(File.ReadAllBytes(bench.ReceivedClip(items[i].Id)), Is.EqualTo(clips[i]));
        }
    }

    [Test]
    public async Task Publish_OutsideOwnPrefix_IsRefusedByTheBroker(CancellationToken cancellationToken)
    {
        var (certificate, key) = _broker.Pki.IssueClient("unit-acl-01");
        await using var session = await ConnectAsync("unit-acl-01", cancellationToken, certificate, key);

        var own = await session.Client.PublishAsync(Message($"{MosquittoBroker.Prefix}/unit-acl-01/evidence/chunk", [1, 2, 3]), cancellationToken);
        var foreign = await session.Client.PublishAsync(Message($"{MosquittoBroker.Prefix}/unit-other/evidence/chunk", [1, 2, 3]), cancellationToken);

        Assert.That(own.ReasonCode, Is.AnyOf(MqttClientPublishReasonCode.Success, MqttClientPublishReasonCode.NoMatchingSubscribers));
        Assert.That(foreign.ReasonCode, Is.EqualTo(MqttClientPublishReasonCode.NotAuthorized));
    }

    [Test]
    public async Task Subscribe_AnotherDevicesAckTopic_ReceivesNothingFromIt(CancellationToken cancellationToken)
    {
        var (certificate, key) = _broker.Pki.IssueClient("unit-acl-02");
        await using var snoop = await ConnectAsync("unit-acl-02", cancellationToken, certificate, key);
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        snoop.MessageReceived = e =>
        {
            received.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        foreach (var topic in new[] { "unit-other/ack", "unit-acl-02/ack" })
        {
            // mosquitto grants the subscription (MQTT 5 lets it) and enforces 'read' on every delivery instead.
            await snoop.Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"{MosquittoBroker.Prefix}/{topic}", MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        }

        await using var city = await ConnectAsync("city-rx-5", cancellationToken);
        await PublishAsync(city, $"{MosquittoBroker.Prefix}/unit-other/ack", [1], cancellationToken);
        await PublishAsync(city, $"{MosquittoBroker.Prefix}/unit-acl-02/ack", [2], cancellationToken);

        // The broker delivers one publisher's messages in order (MQTT 5 §4.6): once the second is here, the first would have been.
        await Eventually.AssertAsync(() => received.Contains($"{MosquittoBroker.Prefix}/unit-acl-02/ack"), Deadline, () => string.Join(", ", received), cancellationToken);
        Assert.That(received, Is.EqualTo(new[] { $"{MosquittoBroker.Prefix}/unit-acl-02/ack" }));
    }

    [Test]
    public async Task Connect_BrokerCertificateFromAnotherCa_NeverConnects(CancellationToken cancellationToken)
    {
        using var otherCity = TestPki.Create();
        await using var bench = new UplinkBench(_broker, "unit-ca-01");
        await bench.SealAsync(VaultTestEnvironment.Clip(3000), cancellationToken);
        var stage = await bench.StartDeviceAsync(bench.DeviceEndpoint(caPath: otherCity.CaPath), cancellationToken);

        await Eventually.AssertAsync(() => bench.DeviceLog.Lines.Count(l => l.Contains("Cannot connect", StringComparison.Ordinal)) >= 2, Deadline, bench.Diagnostics, cancellationToken);
        Assert.That(stage.IsConnected, Is.False);
        Assert.That(bench.Vault.List().Single().State, Is.EqualTo(EvidenceState.Sealed), "nothing was sent");
    }

    [Test]
    public async Task Connect_ExpiredClientCertificate_IsRefused(CancellationToken cancellationToken)
    {
        await using var bench = new UplinkBench(_broker, "unit-exp-01");
        var (certificate, key) = _broker.Pki.IssueExpiredClient("unit-exp-01");
        using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificate));
        await Eventually.AssertAsync(() => DateTime.Now > cert.NotAfter, Deadline, () => "the certificate's one second", cancellationToken);
        var stage = await bench.StartDeviceAsync(bench.DeviceEndpoint(certificate, key), cancellationToken);

        await Eventually.AssertAsync(() => bench.DeviceLog.Lines.Count(l => l.Contains("Cannot connect", StringComparison.Ordinal)) >= 2, Deadline, bench.Diagnostics, cancellationToken);
        Assert.That(stage.IsConnected, Is.False);
    }

    [Test]
    public async Task Deliver_ReceiverSigkilledMidItemAndRestarted_ItemArrivesOnce(CancellationToken cancellationToken)
    {
        await using var bench = new UplinkBench(_broker, "unit-rxkill-01", new UplinkOptions { ChunkBytes = 16 * 1024, BandwidthBytesPerSecond = 400_000 });
        var clip = VaultTestEnvironment.Clip(1_200_000, seed: 30);
        var item = await bench.SealAsync(clip, cancellationToken);
        // Its own group: the killed instance's persistent session stays in its group at the broker and takes a share
        // of that group's messages (MQTT 5 §4.8.2), which the device recovers by asking again; other tests need not.
        var config = bench.WriteReceiverConfig("city-rx-6", "rxkill");
        var incoming = Path.Combine(bench.OutputDirectory, "incoming", bench.DeviceId, item.Id, "c16384");
        int Stored() => Directory.Exists(incoming) ? Directory.GetFiles(incoming, "*.chunk").Length : 0;

        using (var first = DaemonProcess.Start(["receiver", "--config", config]))
        {
            await bench.StartDeviceAsync(cancellationToken: cancellationToken);
            await Eventually.AssertAsync(() => Stored() >= 10, Deadline, () => first.StandardError + bench.Diagnostics(), cancellationToken);
            Posix.Signal(first.Id, Posix.SigKill);
            await first.WaitForExitAsync(cancellationToken);
        }

        Assert.That(bench.Vault.Find(item.Id), Is.Not.Null, "no ack came, nothing was deleted");
        using var second = DaemonProcess.Start(["receiver", "--config", config]);
        await Eventually.AssertAsync(() => bench.Vault.List().Count == 0, Deadline, () => second.StandardError + bench.Diagnostics(), cancellationToken);
        Posix.Signal(second.Id, Posix.SigTerm);
        Assert.That(await second.WaitForExitAsync(cancellationToken), Is.EqualTo(0), second.StandardError);

        Assert.That(File.ReadAllBytes(bench.ReceivedClip(item.Id)), Is.EqualTo(clip));
        Assert.That(Directory.Exists(Path.Combine(bench.OutputDirectory, "incoming", bench.DeviceId, item.Id)), Is.False, "reassembly state is cleared once stored");
    }

    [Test]
    public async Task HandleAck_ThousandFuzzedAcks_NoCrashAndNothingDeleted(CancellationToken cancellationToken)
    {
        await using var bench = new UplinkBench(_broker, "unit-fuzz-01", ackTimeoutSeconds: 3600);
        var item = await bench.SealAsync(VaultTestEnvironment.Clip(9000, seed: 40), cancellationToken);
        var stage = await bench.StartDeviceAsync(cancellationToken: cancellationToken);
        await Eventually.AssertAsync(() => bench.Vault.Find(item.Id)?.State == EvidenceState.AwaitingAck, Deadline, bench.Diagnostics, cancellationToken);
        var seeds = new[]
        {
            bench.Signer().Received(bench.DeviceId, item.Id, item.SealedSha256, DateTimeOffset.UtcNow),
            bench.Signer().Missing(bench.DeviceId, item.Id, item.SealedSha256, [0], DateTimeOffset.UtcNow),
        };
        var random = new Random(20261202);
        var fuzzed = 0;
        while (fuzzed < 1000)
        {
            var seed = seeds[random.Next(seeds.Length)];
            var payload = AckFuzz.Mutate(seed, random);
            if (AckFuzz.SameMeaning(payload, seed))
            {
                // base64url's unused trailing bits can change without changing a byte: not a different ack.
                continue;
            }

            stage.HandleAck(payload);
            fuzzed++;
        }

        Assert.That(bench.Vault.Find(item.Id)?.State, Is.EqualTo(EvidenceState.AwaitingAck), "nothing deleted");
        Assert.That(stage.Outcomes.Values.Sum(), Is.EqualTo(1000), string.Join(", ", stage.Outcomes));
        Assert.That(stage.Outcomes.Keys, Has.All.StartWith("refused_"), "every one refused by the verifier");
    }

    private async Task<MqttSession> ConnectAsync(string clientId, CancellationToken cancellationToken, string? certificate = null, string? key = null)
    {
        if (certificate is null)
        {
            (certificate, key) = _broker.Pki.IssueClient(clientId);
        }

        var session = new MqttSession(new MqttEndpoint
        {
            Broker = new Uri(_broker.Url),
            ClientId = clientId,
            TrustRoots = UplinkCredentials.LoadTrustRoots(_broker.Pki.CaPath, "ca_file"),
            ClientCertificate = UplinkCredentials.LoadClientCertificate(certificate, "client_certificate", key!, "k"),
        }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _ = session.RunAsync(cancellationToken);
        await session.WhenConnectedAsync(cancellationToken);
        return session;
    }

    private static MqttApplicationMessage Message(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private static async Task PublishAsync(MqttSession session, string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await session.Client.PublishAsync(Message(topic, payload), cancellationToken);
        Assert.That(result.ReasonCode, Is.AnyOf(MqttClientPublishReasonCode.Success, MqttClientPublishReasonCode.NoMatchingSubscribers), $"publish to {topic}");
    }
}
