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
        using var broker = await MosquittoBroker.StartAsync([], operators: [Operator, CliOperator]);
        var (deviceCert, deviceKey) = broker.Pki.IssueClient(Device);
        var (operatorCert, operatorTlsKey) = broker.Pki.IssueClient(CliOperator);
        using var config = RunnableConfig.FromExample(yaml =>
        {
            yaml = RunnableConfig.SetScalar(yaml, "broker", broker.Url);
            yaml = RunnableConfig.SetScalar(yaml, "ca_file", broker.Pki.CaPath);
            yaml = RunnableConfig.SetScalar(yaml, "client_certificate", deviceCert);
            yaml = RunnableConfig.SetScalar(yaml, "interval_seconds", "5");
            return yaml.Replace("  operators: []", "  operators:\n    - id: admin-1\n      role: admin\n      public_key: operators/admin-1.pem", StringComparison.Ordinal);
        });
        config.WriteCredential("mqtt-client-key", deviceKey);
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
