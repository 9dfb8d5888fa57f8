using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using Sensen.Edge.Rules;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Uplink;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>
/// Availability, telemetry, signed commands and a signal feed on the uplink's one session, through a real mosquitto
/// with TLS, client certificates and the ACL: the device (a real vault, the real UplinkStage) and a control-room
/// client with its own certificate.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
internal sealed class TelemetryBrokerTests
{
    private const string Operator = "ops-console";
    private const string SignalTopic = "signals/junction-7";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private MosquittoBroker _broker = null!;

    [OneTimeSetUp]
    public async Task StartBroker() => _broker = await MosquittoBroker.StartAsync(["city-rx-t"], operators: [Operator]);

    [OneTimeTearDown]
    public void StopBroker() => _broker.Dispose();

    [Test]
    public async Task Session_TelemetryAvailabilityCommandsAndSignalFeed_WorkThroughTheBroker(CancellationToken cancellationToken)
    {
        await using var bench = new UplinkBench(_broker, "unit-tel-01", ackTimeoutSeconds: 3600);
        var item = await bench.SealAsync(VaultTestEnvironment.Clip(5000, seed: 9), cancellationToken);
        using var operatorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var adminKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = new CommandVerifier(
            [new OperatorKey("op-1", OperatorRole.Operator, PublicOnly(operatorKey)), new OperatorKey("admin-1", OperatorRole.Admin, PublicOnly(adminKey))],
            bench.DeviceId, TimeProvider.System, TimeSpan.FromMinutes(5));
        var handler = new CommandHandler(verifier, bench.Vault, MosquittoBroker.Prefix, bench.DeviceId, null, TimeProvider.System, bench.DeviceLog.CreateLogger("commands"));
        var feeds = new SignalFeeds();
        var device = new DeviceMqtt(MosquittoBroker.Prefix, bench.DeviceId, bench.DeviceLog.CreateLogger("device"));
        device.Add(handler);
        device.Add(new SignalFeedSubscriber(feeds, [SignalTopic], TimeProvider.System, NullLogger.Instance));
        using var collector = new TelemetryCollector(TimeProvider.System);
        var reporter = new TelemetryReporter(collector, bench.Vault, device, ["cam-1"], bench.DeviceId, () => "cafe", bench.Environment.StateDirectory, false, 5, TimeZoneInfo.Utc, TimeProvider.System, new HostProbe());
        using var telemetry = new TelemetryService(reporter, device, TimeSpan.FromSeconds(5), TimeProvider.System, bench.DeviceLog.CreateLogger("telemetry"));

        var topic = $"{MosquittoBroker.Prefix}/{bench.DeviceId}/";
        await using var room = await MqttObserver.StartAsync(_broker, Operator, topic + "#", cancellationToken);
        await bench.StartDeviceAsync(null, device, cancellationToken);
        await telemetry.StartAsync(cancellationToken);

        await Eventually.AssertAsync(() => room.On(topic + "availability").Contains("online"), Deadline, bench.Diagnostics, cancellationToken);
        await Eventually.AssertAsync(() => room.On(topic + "telemetry").Any(), Deadline, bench.Diagnostics, cancellationToken);
        var message = JsonNode.Parse(room.On(topic + "telemetry").First())!;
        Assert.That((string?)message["format"], Is.EqualTo("sensen-telemetry/1"));
        Assert.That((bool?)message["uplink"]!["connected"], Is.True);
        Assert.That((bool?)message["uplink"]!["insecure"], Is.False);
        Assert.That((int?)message["vault"]!["items"], Is.EqualTo(1));

        // Hold (operator) and release (admin) through the broker, as the CLI sends them, with the operator's own certificate.
        var (certificate, key) = _broker.Pki.IssueClient(Operator);
        var endpoint = MqttObserver.Endpoint(_broker, Operator, certificate, key);
        var hold = await SendAsync(endpoint, new CommandSigner("op-1", operatorKey), bench.DeviceId, CommandFormat.LegalHold, item.Id, "court order 17", cancellationToken);
        Assert.That(hold?.Outcome, Is.EqualTo("accepted"), hold?.Detail ?? bench.Diagnostics());
        Assert.That(bench.Vault.Find(item.Id)!.LegalHold, Is.True);

        var underPrivileged = await SendAsync(endpoint, new CommandSigner("op-1", operatorKey), bench.DeviceId, CommandFormat.Release, item.Id, null, cancellationToken);
        Assert.That((underPrivileged?.Outcome, underPrivileged?.Reason), Is.EqualTo(("refused", "forbidden")));
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = await SendAsync(endpoint, new CommandSigner("admin-1", forger), bench.DeviceId, CommandFormat.Release, item.Id, null, cancellationToken);
        Assert.That((forged?.Outcome, forged?.Reason), Is.EqualTo(("refused", "bad_signature")));
        Assert.That(bench.Vault.Find(item.Id)!.LegalHold, Is.True, "neither the operator nor the forger released it");

        // A handful of fuzzed payloads through the broker: each answered refused, nothing changes.
        var random = new Random(7);
        var genuine = new CommandSigner("admin-1", adminKey).Sign(bench.DeviceId, CommandFormat.Release, DateTimeOffset.UtcNow, item.Id);
        for (var i = 0; i < 25; i++)
        {
            await room.Session.Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic + "commands")
                .WithPayload(CommandVerifierTests.Fuzz(random, genuine, i)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        }

        await Eventually.AssertAsync(() => handler.RefusedCount >= 27, Deadline, () => $"refused {handler.RefusedCount}\n{bench.Diagnostics()}", cancellationToken);
        Assert.That(bench.Vault.Find(item.Id)!.LegalHold, Is.True);
        Assert.That(handler.AcceptedCount, Is.EqualTo(1));

        var release = await SendAsync(endpoint, new CommandSigner("admin-1", adminKey), bench.DeviceId, CommandFormat.Release, item.Id, null, cancellationToken);
        Assert.That(release?.Outcome, Is.EqualTo("accepted"), release?.Detail);
        Assert.That(bench.Vault.Find(item.Id)!.LegalHold, Is.False);
        Assert.That(File.ReadAllText(bench.Environment.AuditLogPath), Does.Contain("refused_bad_signature").And.Contain("refused_forbidden").And.Contain("command=release;operator=admin-1"));

        // The signal controller's phase reaches the red-light feed through the same session.
        await room.Session.Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(SignalTopic).WithPayload("red").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        await Eventually.AssertAsync(() => feeds.For(SignalTopic).Read(DateTimeOffset.UtcNow).Phase == SignalPhase.Red, Deadline, bench.Diagnostics, cancellationToken);

        // A clean stop says offline (retained) before the DISCONNECT.
        await telemetry.StopAsync(cancellationToken);
        await bench.StopDeviceAsync();
        await Eventually.AssertAsync(() => room.On(topic + "availability").LastOrDefault() == "offline", Deadline, bench.Diagnostics, cancellationToken);
        await using var late = await MqttObserver.StartAsync(_broker, Operator, topic + "availability", cancellationToken);
        await Eventually.AssertAsync(() => late.Messages.Any(m => m.Retained && m.Payload == "offline"), Deadline, bench.Diagnostics, cancellationToken);
    }

    private static async Task<CommandResult?> SendAsync(MqttEndpoint endpoint, CommandSigner signer, string deviceId, string command, string? evidenceId, string? reason, CancellationToken cancellationToken)
    {
        var nonce = CommandSigner.NewNonce();
        var signed = signer.Sign(deviceId, command, DateTimeOffset.UtcNow, evidenceId, reason, nonce: nonce);
        return await RemoteCommandClient.SendAsync(endpoint with { ClientId = endpoint.ClientId + nonce[..4] }, MosquittoBroker.Prefix, deviceId, signed, nonce, TimeSpan.FromSeconds(20), cancellationToken);
    }

    private static ECDsa PublicOnly(ECDsa key)
    {
        var pub = ECDsa.Create();
        pub.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return pub;
    }
}
