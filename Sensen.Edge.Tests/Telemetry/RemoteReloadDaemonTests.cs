using System.Security.Cryptography;
using Sensen.Edge.Configuration;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>
/// Signed <c>set_log_level</c> and <c>reload_configuration</c> through a real TLS mosquitto to the real daemon (the
/// example configuration): a viewer is refused, an admin's reload adds an operator and narrows
/// <c>command_max_age_seconds</c>, and both take effect without a restart while the accepted nonces are kept.
/// Every command is answered on the result topic and written to the audit log.
/// </summary>
[TestFixture]
[CancelAfter(180_000)]
internal sealed class RemoteReloadDaemonTests
{
    private const string Device = "unit-0042";
    private const string Room = "ops-room";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Commands_ReloadAndLogLevel_AppliedRefusedAuditedAndAnswered_KeysAndWindowLive(CancellationToken cancellationToken)
    {
        using var broker = await MosquittoBroker.StartAsync([], operators: [Room]);
        var (deviceCert, deviceKey) = broker.Pki.IssueClient(Device);
        var (roomCert, roomKey) = broker.Pki.IssueClient(Room);
        const string Operators = "  operators:\n    - id: admin-1\n      role: admin\n      public_key: operators/admin-1.pem\n    - id: viewer-1\n      role: viewer\n      public_key: operators/viewer-1.pem";
        using var config = RunnableConfig.FromExample(yaml =>
        {
            yaml = RunnableConfig.SetScalar(yaml, "broker", broker.Url);
            yaml = RunnableConfig.SetScalar(yaml, "ca_file", broker.Pki.CaPath);
            yaml = RunnableConfig.SetScalar(yaml, "client_certificate", deviceCert);
            return yaml.Replace("  operators: []", Operators, StringComparison.Ordinal);
        });
        config.WriteCredential("mqtt-client-key", deviceKey);
        var keys = Path.Combine(config.Directory, "operators");
        foreach (var id in new[] { "admin-1", "viewer-1", "night-1" })
        {
            Assert.That(CommandCli.Keygen(keys, id, TextWriter.Null, TextWriter.Null), Is.Zero);
        }

        var topic = $"{MosquittoBroker.Prefix}/{Device}/";
        var endpoint = MqttObserver.Endpoint(broker, Room, roomCert, roomKey);
        await using var room = await MqttObserver.StartAsync(broker, Room, topic + "commands/result", cancellationToken);
        using var daemon = DaemonProcess.Start(["run", "--config", config.ConfigPath]);
        await using var availability = await MqttObserver.StartAsync(broker, Room, topic + "availability", cancellationToken);
        await Eventually.AssertAsync(() => availability.On(topic + "availability").LastOrDefault() == "online", Deadline, () => daemon.StandardError + broker.Log, cancellationToken);

        async Task<CommandResult> SendAsync(byte[] signed)
        {
            var nonce = NonceOf(signed);
            var result = await RemoteCommandClient.SendAsync(endpoint, MosquittoBroker.Prefix, Device, signed, nonce, Answer, cancellationToken);
            Assert.That(result, Is.Not.Null, "no result for " + nonce + "\n" + daemon.StandardError);
            Assert.That(room.On(topic + "commands/result").Any(r => r.Contains(nonce, StringComparison.Ordinal)), Is.True, "answered on the result topic");
            return result!;
        }

        byte[] Sign(string id, string command, string? level = null, DateTimeOffset? issuedAt = null)
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(Path.Combine(keys, id + ".key")));
            return new CommandSigner(id, key).Sign(Device, command, issuedAt ?? DateTimeOffset.UtcNow, level: level);
        }

        // An admin may set the level; a viewer may change nothing.
        var debug = Sign("admin-1", CommandFormat.SetLogLevel, "debug");
        var level = await SendAsync(debug);
        Assert.That((level.Outcome, level.Detail), Is.EqualTo(("accepted", "log level is now debug")));
        var forbidden = await SendAsync(Sign("viewer-1", CommandFormat.ReloadConfiguration));
        Assert.That((forbidden.Outcome, forbidden.Reason, forbidden.OperatorId), Is.EqualTo(("refused", "forbidden", "viewer-1")));

        // The admin's reload: a new operator, a narrower window (both live) and a longer retention (needs a restart).
        var edited = (await File.ReadAllTextAsync(config.ConfigPath, cancellationToken))
            .Replace(Operators, Operators + "\n    - id: night-1\n      role: operator\n      public_key: operators/night-1.pem", StringComparison.Ordinal)
            .Replace("command_max_age_seconds: 300", "command_max_age_seconds: 60", StringComparison.Ordinal)
            .Replace("retention_days: 30", "retention_days: 31", StringComparison.Ordinal);
        await File.WriteAllTextAsync(config.ConfigPath, edited, cancellationToken);
        var reload = await SendAsync(Sign("admin-1", CommandFormat.ReloadConfiguration));
        Assert.That(reload.Outcome, Is.EqualTo("accepted"), reload.Detail + "\n" + daemon.StandardError);
        // The file's log level comes back too: set_log_level lasts until the next reload (docs/OPERATIONS.md).
        Assert.That(reload.Applied, Is.EqualTo(new[] { "telemetry.log_level Debug -> Information", "telemetry.operators (3 key(s))", "telemetry.command_max_age_seconds 300 -> 60" }));
        Assert.That(reload.NeedsRestart, Is.EqualTo(new[] { "vault" }));

        // Without a restart: the new operator is heard, the old nonces are remembered, the new window is in force.
        var night = await SendAsync(Sign("night-1", CommandFormat.SetLogLevel, "warning"));
        Assert.That((night.Outcome, night.OperatorId), Is.EqualTo(("accepted", "night-1")), night.Detail);
        var replayed = await SendAsync(debug);
        Assert.That((replayed.Outcome, replayed.Reason), Is.EqualTo(("refused", "replayed")));
        var stale = await SendAsync(Sign("night-1", CommandFormat.SetLogLevel, "debug", DateTimeOffset.UtcNow.AddSeconds(-120)));
        Assert.That((stale.Outcome, stale.Reason), Is.EqualTo(("refused", "expired")), "120 s old: inside the old 300 s window, outside the new 60 s one");

        daemon.Signal(Posix.SigTerm);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.StandardError);
        var stderr = daemon.StandardError;
        Assert.That(stderr, Does.Contain("Log level Information -> Debug"));
        Assert.That(stderr, Does.Contain("Log level Information -> Warning"), "the operator added by the reload changed the level");

        var loaded = ConfigLoader.Load(config.ConfigPath);
        using var settings = VaultSettings.Load(loaded.Config!.Options, loaded.Config.Directory, createIfMissing: false);
        var audit = await File.ReadAllTextAsync(settings.AuditLogPath, cancellationToken);
        Assert.That(audit, Does.Contain("command=set_log_level;operator=admin-1;role=admin;nonce=" + NonceOf(debug)));
        Assert.That(audit, Does.Contain("refused_forbidden").And.Contain("command=reload_configuration;operator=viewer-1;role=viewer"));
        Assert.That(audit, Does.Contain("command=reload_configuration;operator=admin-1;role=admin"));
        Assert.That(audit, Does.Contain("command=set_log_level;operator=night-1;role=operator"));
        Assert.That(audit, Does.Contain("refused_replayed").And.Contain("refused_expired"));
        Assert.That(audit.Split('\n').Count(l => l.Contains("remote_command", StringComparison.Ordinal)), Is.EqualTo(6), "every command, once");
    }

    private static string NonceOf(byte[] signed)
    {
        var text = System.Text.Encoding.ASCII.GetString(signed);
        var body = System.Buffers.Text.Base64Url.DecodeFromChars(text.Split('.')[1]);
        return CanonicalJson.Deserialize<CommandBody>(body).Nonce;
    }
}
