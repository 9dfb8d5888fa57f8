using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Uplink;

/// <summary>The stage's start-up paths that need no broker: plaintext warning, unusable TLS material.</summary>
[CancelAfter(60_000)]
public sealed class UplinkStageTests
{
    [Test]
    public async Task ExecuteAsync_PlaintextBroker_LogsTheAlarmAtStart(CancellationToken cancellationToken)
    {
        using var env = new VaultTestEnvironment();
        using var vault = env.Open();
        using var log = new LogCapture();
        var endpoint = new MqttEndpoint { Broker = new Uri($"mqtt://127.0.0.1:{FreePort.Next()}"), ClientId = "unit-test-01" };
        using var verifier = Verifier(env);
        using var stage = new UplinkStage(vault, () => endpoint, verifier, new UplinkOptions { Broker = endpoint.Broker.ToString(), AllowInsecure = true }, "unit-test-01", TimeProvider.System, log.CreateLogger("uplink"));

        await stage.StartAsync(cancellationToken);
        await Eventually.AssertAsync(() => log.Text.Contains("ALARM uplink: plaintext MQTT", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => log.Text, cancellationToken);
        await stage.StopAsync(cancellationToken);

        Assert.That(log.Lines.First(l => l.Contains("ALARM", StringComparison.Ordinal)), Does.StartWith("Warning"));
    }

    [Test]
    public async Task ExecuteAsync_CaFileNotConfigured_LogsAlarmAndKeepsTheEvidence(CancellationToken cancellationToken)
    {
        using var env = new VaultTestEnvironment();
        using var vault = env.Open();
        using var log = new LogCapture();
        var item = await vault.SealAsync(VaultTestEnvironment.Metadata(env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(2000)), cancellationToken);
        var options = new EdgeOptions { Device = new DeviceOptions { Id = "unit-test-01", CredentialsDirectory = env.CredentialsDirectory } };
        var config = new LoadedConfig(options, Path.Combine(env.Root, "edge.yaml"), new string('0', 64));
        using var verifier = Verifier(env);
        using var stage = new UplinkStage(vault, () => UplinkCredentials.DeviceEndpoint(config, CredentialStore.FromOptions(options.Device)), verifier, options.Uplink, "unit-test-01", TimeProvider.System, log.CreateLogger("uplink"));

        await stage.StartAsync(cancellationToken);
        await Eventually.AssertAsync(() => log.Text.Contains("ALARM uplink cannot start", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => log.Text, cancellationToken);
        await stage.StopAsync(cancellationToken);

        Assert.That(log.Text, Does.Contain("ALARM uplink cannot start: uplink.ca_file: required for mqtts:// (the city's CA is the only trust root); evidence stays in the vault, retrying in a minute"));
        Assert.That(vault.Find(item.Id)?.State, Is.EqualTo(EvidenceState.Sealed));
    }

    private static AckVerifier Verifier(VaultTestEnvironment env)
    {
        var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(env.CityAckPublicKeyPath));
        return new AckVerifier(key, "unit-test-01", TimeProvider.System);
    }
}
