using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Receiver;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Uplink;

/// <summary>
/// One device (a real vault, the real <see cref="UplinkStage"/>) and the city's side (ack key, receivers
/// made by <see cref="ReceiverCommand.Build"/>) around a shared <see cref="MosquittoBroker"/>.
/// </summary>
internal sealed class UplinkBench : IAsyncDisposable
{
    private readonly List<(CityReceiver Receiver, CancellationTokenSource Stop, Task Run)> _receivers = [];

    /// <param name="ackTimeoutSeconds">Short, so tests see the device ask again after a lost message.</param>
    public UplinkBench(MosquittoBroker broker, string deviceId, UplinkOptions? options = null, int ackTimeoutSeconds = 3)
    {
        Broker = broker;
        DeviceId = deviceId;
        Environment = new VaultTestEnvironment();
        AckKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Options = (options ?? new UplinkOptions()) with { Broker = broker.Url, AckTimeoutSeconds = ackTimeoutSeconds };
        var baseSettings = Environment.Settings();
        Vault = EvidenceVault.Open(new VaultSettings
        {
            DatabasePath = baseSettings.DatabasePath,
            AuditLogPath = baseSettings.AuditLogPath,
            KeysDirectory = baseSettings.KeysDirectory,
            DatabasePassword = baseSettings.DatabasePassword,
            StorageRoot = baseSettings.StorageRoot,
            DeviceKey = baseSettings.DeviceKey,
            CityPublicKey = baseSettings.CityPublicKey,
            DeviceId = deviceId,
        }, Environment.Time, NullLogger.Instance);
        (DeviceCertificate, DeviceKeyPem) = broker.Pki.IssueClient(deviceId);
        Directory.CreateDirectory(DeviceKeysDirectory);
        File.WriteAllText(Path.Combine(DeviceKeysDirectory, deviceId + ".pem"), Environment.DeviceKey.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(Path.Combine(Environment.CredentialsDirectory, "city-private"), Environment.CityKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(Environment.CredentialsDirectory, "city-ack"), AckKey.ExportPkcs8PrivateKeyPem());
    }

    public MosquittoBroker Broker { get; }

    public string DeviceId { get; }

    public VaultTestEnvironment Environment { get; }

    public EvidenceVault Vault { get; }

    public ECDsa AckKey { get; }

    public UplinkOptions Options { get; }

    public string DeviceCertificate { get; }

    public string DeviceKeyPem { get; }

    public LogCapture DeviceLog { get; } = new();

    public LogCapture ReceiverLog { get; } = new();

    public UplinkStage? Stage { get; private set; }

    public string DeviceKeysDirectory => Path.Combine(Environment.Root, "devices");

    public string OutputDirectory => Path.Combine(Environment.Root, "received");

    public IReadOnlyList<CityReceiver> Receivers => [.. _receivers.Select(r => r.Receiver)];

    public MqttEndpoint DeviceEndpoint(string? certificate = null, string? keyPem = null, string? caPath = null) => new()
    {
        Broker = new Uri(Broker.Url),
        ClientId = DeviceId,
        TrustRoots = UplinkCredentials.LoadTrustRoots(caPath ?? Broker.Pki.CaPath, "ca_file"),
        ClientCertificate = UplinkCredentials.LoadClientCertificate(certificate ?? DeviceCertificate, "client_certificate", keyPem ?? DeviceKeyPem, "mqtt-client-key"),
        BackoffBase = TimeSpan.FromMilliseconds(200),
        BackoffMax = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    public AckSigner Signer() => new(AckKey);

    public async Task<EvidenceRecord> SealAsync(byte[] clip, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(clip);
        var record = await Vault.SealAsync(VaultTestEnvironment.Metadata(Environment.Time.GetUtcNow()), stream, cancellationToken);
        Environment.Time.Advance(TimeSpan.FromMilliseconds(5));
        return record;
    }

    public AckVerifier Verifier()
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(AckKey.ExportSubjectPublicKeyInfo(), out _);
        return new AckVerifier(key, DeviceId, TimeProvider.System);
    }

    public Task<UplinkStage> StartDeviceAsync(MqttEndpoint? endpoint = null, CancellationToken cancellationToken = default) => StartDeviceAsync(endpoint, null, cancellationToken);

    /// <param name="device">Availability, telemetry, commands and signal feeds on the same session (the Telemetry tests).</param>
    public async Task<UplinkStage> StartDeviceAsync(MqttEndpoint? endpoint, DeviceMqtt? device, CancellationToken cancellationToken)
    {
        var resolved = endpoint ?? DeviceEndpoint();
        Stage = new UplinkStage(Vault, () => resolved, Verifier(), Options, DeviceId, TimeProvider.System, DeviceLog.CreateLogger("uplink"), device);
        await Stage.StartAsync(cancellationToken);
        return Stage;
    }

    public async Task StopDeviceAsync()
    {
        if (Stage is { } stage)
        {
            await stage.StopAsync(CancellationToken.None);
            stage.Dispose();
            Stage = null;
        }
    }

    /// <summary>A receiver's options with its own client certificate (issued now) and the bench's keys and directories.</summary>
    public ReceiverOptions ReceiverOptionsFor(string clientId, string group = "city")
    {
        var (certificate, keyPem) = Broker.Pki.IssueClient(clientId);
        var credential = "client-key-" + clientId;
        File.WriteAllText(Path.Combine(Environment.CredentialsDirectory, credential), keyPem);
        return new ReceiverOptions
        {
            Broker = Broker.Url,
            ClientId = clientId,
            ShareGroup = group,
            TopicPrefix = MosquittoBroker.Prefix,
            CaFile = Broker.Pki.CaPath,
            ClientCertificate = certificate,
            CredentialsDirectory = Environment.CredentialsDirectory,
            ClientKeyCredential = credential,
            DeviceKeysDirectory = DeviceKeysDirectory,
            OutputDirectory = OutputDirectory,
        };
    }

    /// <summary>The same options as a receiver YAML file, for <c>sensen-edge receiver --config</c> as a child process.</summary>
    public string WriteReceiverConfig(string clientId, string group)
    {
        var o = ReceiverOptionsFor(clientId, group);
        var path = Path.Combine(Environment.Root, clientId + ".yaml");
        File.WriteAllText(path, $"broker: {o.Broker}\nclient_id: {o.ClientId}\nshare_group: {o.ShareGroup}\ntopic_prefix: {o.TopicPrefix}\n"
            + $"ca_file: {o.CaFile}\nclient_certificate: {o.ClientCertificate}\ncredentials_directory: {o.CredentialsDirectory}\n"
            + $"client_key_credential: {o.ClientKeyCredential}\ndevice_keys_directory: {o.DeviceKeysDirectory}\noutput_directory: {o.OutputDirectory}\n");
        return path;
    }

    public CityReceiver StartReceiver(string clientId, string group = "city")
    {
        var options = ReceiverOptionsFor(clientId, group);
        var receiver = ReceiverCommand.Build(options, Environment.Root, ReceiverLog.CreateLogger("receiver-" + clientId),
            e => e with { BackoffBase = TimeSpan.FromMilliseconds(200), BackoffMax = TimeSpan.FromSeconds(2) });
        var stop = new CancellationTokenSource();
        _receivers.Add((receiver, stop, Task.Run(() => receiver.RunAsync(stop.Token))));
        return receiver;
    }

    /// <summary>The decrypted clip the receivers wrote for an item.</summary>
    public string ReceivedClip(string evidenceId) => Path.Combine(OutputDirectory, "evidence", DeviceId, evidenceId, "clip.mp4");

    public string Diagnostics() => $"vault: {string.Join(", ", Vault.List().Select(r => $"{r.Id[..8]}={r.State}"))}\ndevice log:\n{Tail(DeviceLog)}\nreceiver log:\n{Tail(ReceiverLog)}\nbroker:\n{Broker.Log[Math.Max(0, Broker.Log.Length - 2000)..]}";

    private static string Tail(LogCapture log) => string.Join('\n', log.Lines.TakeLast(25));

    public async ValueTask DisposeAsync()
    {
        await StopDeviceAsync();
        foreach (var (receiver, stop, run) in _receivers)
        {
            await stop.CancelAsync();
            await run;
            await receiver.DisposeAsync();
            stop.Dispose();
        }

        Vault.Dispose();
        AckKey.Dispose();
        DeviceLog.Dispose();
        ReceiverLog.Dispose();
        Environment.Dispose();
    }
}
