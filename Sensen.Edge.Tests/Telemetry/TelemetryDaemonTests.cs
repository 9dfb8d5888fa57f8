using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>
/// The real daemon (<c>sensen-edge run</c> on the example configuration) against a real mosquitto: online and
/// telemetry on connect, <c>queue hold --operator-key</c> applied by the running unit to the vault it holds, and
/// the broker's last will <c>offline</c> once the daemon is SIGKILLed.
/// </summary>
[TestFixture]
[CancelAfter(180_000)]
internal sealed class TelemetryDaemonTests
{
    private const string Device = "unit-0042";
    private const string Operator = "ops-daemon";
    private const string CliOperator = "ops-cli";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Test]
    public async Task Run_Connected_PublishesOnlineAndTelemetry_HoldsViaCli_AndLastWillOnSigkill(CancellationToken cancellationToken)
    {
        // Three people (face-api's sample1) looped at 2 fps: the live path has frames to time, and no rule of the example fires on them.
        var clip = await TestClips.FacesMp4Async(cancellationToken);
        using var broker = await MosquittoBroker.StartAsync([], operators: [Operator, CliOperator]);
        var (deviceCert, deviceKey) = broker.Pki.IssueClient(Device);
        var (operatorCert, operatorTlsKey) = broker.Pki.IssueClient(CliOperator);
        using var config = RunnableConfig.FromExample(yaml =>
        {
            yaml = RunnableConfig.SetScalar(yaml, "broker", broker.Url);
            yaml = RunnableConfig.SetScalar(yaml, "ca_file", broker.Pki.CaPath);
            yaml = RunnableConfig.SetScalar(yaml, "client_certificate", deviceCert);
            yaml = RunnableConfig.SetScalar(yaml, "interval_seconds", "5");
            yaml = RunnableConfig.SetScalar(yaml, "url", "file://" + clip).Replace("    transport: tcp", "    loop: true", StringComparison.Ordinal);
            yaml = RunnableConfig.SetScalar(yaml, "fps", "2");
            return yaml.Replace("  operators: []", "  operators:\n    - id: admin-1\n      role: admin\n      public_key: operators/admin-1.pem", StringComparison.Ordinal);
        });
        config.WriteCredential("mqtt-client-key", deviceKey);
        config.WriteCredential("cam-north", "user:password");
        Assert.That(Sensen.Edge.Telemetry.CommandCli.Keygen(Path.Combine(config.Directory, "operators"), "admin-1", TextWriter.Null, TextWriter.Null), Is.Zero);
        var operatorTlsKeyPath = Path.Combine(config.Directory, "operator-tls.key");
        File.WriteAllText(operatorTlsKeyPath, operatorTlsKey);
        var itemId = await SealOneAsync(config.ConfigPath, cancellationToken);

        var topic = $"{MosquittoBroker.Prefix}/{Device}/";
        await using var room = await MqttObserver.StartAsync(broker, Operator, topic + "#", cancellationToken);
        using var daemon = DaemonProcess.Start(["run", "--config", config.ConfigPath]);
        await Eventually.AssertAsync(() => room.On(topic + "availability").LastOrDefault() == "online", Deadline, () => daemon.StandardError + broker.Log, cancellationToken);
        await Eventually.AssertAsync(() => room.On(topic + "telemetry").Any(), Deadline, () => daemon.StandardError, cancellationToken);

        // What the daemon publishes is all in docs/TELEMETRY.md (the reverse is TelemetryDocumentationTests').
        var message = JsonNode.Parse(room.On(topic + "telemetry").First())!;
        var documented = TelemetrySchema.Paths(TelemetrySchema.DocumentedExample());
        var undocumented = TelemetrySchema.Paths(message).Where(p => !documented.Contains(p) && !documented.Contains(p + ".*")).ToList();
        Assert.That(undocumented, Is.Empty, message.ToJsonString());
        Assert.That((string?)message["host"]!["config_sha256"], Has.Length.EqualTo(64));
        Assert.That(message["cameras"]!["cam-north"], Is.Not.Null);

        // Per camera and per detector: latency of the analysed frames and the provider, joined on the detector ids.
        await Eventually.AssertAsync(
            () => room.On(topic + "telemetry").Select(t => JsonNode.Parse(t)!).Any(m => m["cameras"]!["cam-north"]!["detection_latency_ms_p50"] is not null),
            Deadline, () => daemon.StandardError, cancellationToken);
        var timed = room.On(topic + "telemetry").Select(t => JsonNode.Parse(t)!).First(m => m["cameras"]!["cam-north"]!["detection_latency_ms_p50"] is not null);
        var camera = timed["cameras"]!["cam-north"]!;
        var provider = (string?)camera["execution_provider"];
        Assert.That(provider, Is.AnyOf("cpu", "cuda", "tensorrt"), timed.ToJsonString());
        Assert.That((double?)camera["detection_latency_ms_p95"], Is.GreaterThanOrEqualTo((double)camera["detection_latency_ms_p50"]!));
        var detectors = timed["detectors"]!.AsObject();
        Assert.That(detectors.Select(d => d.Key), Is.EquivalentTo(new[] { "objects", "head-faces", "faces", "plates" }), "by detector id, no model listed apart: " + timed.ToJsonString());
        Assert.That(detectors.Select(d => (string?)d.Value!["execution_provider"]), Is.All.Not.Null);
        Assert.That((long?)detectors["objects"]!["frames"], Is.GreaterThan(0));
        Assert.That((long?)detectors["faces"]!["frames"], Is.Zero, "face-tiny is the clip path's (live: false), and no clip was opened");
        Assert.That((long?)detectors["plates"]!["frames"], Is.Zero);

        // The daemon holds the vault's lock: the CLI goes through the broker with a signed command.
        var (exit, stdout, stderr) = await DaemonProcess.RunAsync(
            ["queue", "hold", itemId, "--reason", "court order 17", "--config", config.ConfigPath, "--operator-key", Path.Combine(config.Directory, "operators", "admin-1.key"),
             "--operator", "admin-1", "--cert", operatorCert, "--client-key", operatorTlsKeyPath, "--timeout", "30"],
            cancellationToken);
        Assert.That(exit, Is.Zero, stdout + stderr + daemon.StandardError);
        Assert.That(stdout, Does.Contain("\"outcome\":\"accepted\""));

        Posix.Signal(daemon.Id, Posix.SigKill);
        await daemon.WaitForExitAsync(cancellationToken);
        await Eventually.AssertAsync(() => room.On(topic + "availability").LastOrDefault() == "offline", Deadline, () => broker.Log, cancellationToken);

        var loaded = ConfigLoader.Load(config.ConfigPath);
        using var settings = VaultSettings.Load(loaded.Config!.Options, loaded.Config.Directory, createIfMissing: false);
        using var vault = EvidenceVault.Open(settings, TimeProvider.System, NullLogger.Instance);
        Assert.That(vault.Find(itemId)!.LegalHold, Is.True, "the running unit applied the hold to its vault");
        Assert.That(File.ReadAllText(settings.AuditLogPath), Does.Contain("remote_command").And.Contain("command=legal_hold;operator=admin-1;role=admin"));
    }

    /// <summary>An item in the unit's vault before it starts (this build records no clips of its own).</summary>
    private static async Task<string> SealOneAsync(string configPath, CancellationToken cancellationToken)
    {
        var loaded = ConfigLoader.Load(configPath);
        Assert.That(loaded.IsValid, string.Join("\n", loaded.Errors.Select(e => e.ToString())));
        using var settings = VaultSettings.Load(loaded.Config!.Options, loaded.Config.Directory, createIfMissing: true);
        using var vault = EvidenceVault.Open(settings, TimeProvider.System, NullLogger.Instance);
        using var clip = new MemoryStream(VaultTestEnvironment.Clip(3000));
        return (await vault.SealAsync(VaultTestEnvironment.Metadata(DateTimeOffset.UtcNow), clip, cancellationToken)).Id;
    }
}
