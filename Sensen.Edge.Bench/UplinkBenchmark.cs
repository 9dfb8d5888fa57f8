using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Bench;

/// <summary>
/// Sealed evidence from a real vault to a real TLS mosquitto (the tests' harness, same PKI and ACL) through
/// the uplink's publisher, against its limit: <c>mosquitto_pub</c> sending the same number of chunks of the
/// same size, QoS 1, over TLS with the same client certificate to the same broker, in the same run. Then the
/// time from a city ack to the item's deletion: verify + vault delete in process, and through the broker.
/// </summary>
internal sealed class UplinkBenchmark : IBenchmark
{
    private const string DeviceId = "bench-unit";

    public string Name => "uplink";

    public string Description => "sealed evidence to TLS mosquitto vs mosquitto_pub, ack-to-deletion [MiB per run, default 32] [runs, default 5] [window, default uplink.window_chunks]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 32;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var window = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : new UplinkOptions().WindowChunks;
        var r = await MeasureAsync(megabytes, runs, window, cancellationToken);
        Console.WriteLine($"sealed item {r.SealedBytes / 1048576.0:F1} MiB in {r.Chunks} chunks of {r.ChunkBytes} bytes, QoS 1, TLS, window {window}, {runs} runs, medians:");
        Console.WriteLine($"  mosquitto_pub --repeat {r.Chunks} -f chunk (the limit)   {Median(r.Theirs),8:F1} MiB/s");
        Console.WriteLine($"  uplink: vault -> manifest + chunks                {Median(r.Ours),8:F1} MiB/s   ratio {Median(r.Ours) / Median(r.Theirs):F2}");
        Console.WriteLine($"ack to deletion, {r.InProcess.Count} items, medians (p90):");
        Console.WriteLine($"  in process: verify JWS + vault delete (fsynced)  {Median(r.InProcess),8:F1} ms   ({Percentile(r.InProcess, 0.9):F1})");
        Console.WriteLine($"  city PUBLISH -> broker -> device -> deleted      {Median(r.ThroughBroker),8:F1} ms   ({Percentile(r.ThroughBroker, 0.9):F1})");
        return 0;
    }

    /// <summary>The suite's figures: the uplink against <c>mosquitto_pub</c> (goal 0.7), and ack to deletion both ways against 100 ms.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> FiguresAsync(int megabytes, int runs, CancellationToken cancellationToken)
    {
        var r = await MeasureAsync(megabytes, runs, new UplinkOptions().WindowChunks, cancellationToken);
        return
        [
            new("uplink", FormattableString.Invariant($"{r.SealedBytes / 1048576.0:0.0} MiB sealed item, vault → TLS mosquitto, QoS 1, {r.Chunks} chunks vs `mosquitto_pub --repeat {r.Chunks}`"), Median(r.Ours), Median(r.Theirs), "MiB/s", BenchGoal.Minimum(0.7)),
            new("uplink", $"ack to deletion in process (JWS verify + vault delete, fsynced), median of {r.InProcess.Count} vs 100 ms", Median(r.InProcess), 100, "ms", BenchGoal.Maximum(1)),
            new("uplink", $"ack to deletion through the broker (city PUBLISH → mosquitto → device), median of {r.ThroughBroker.Count} vs 100 ms", Median(r.ThroughBroker), 100, "ms", BenchGoal.Maximum(1)),
        ];
    }

    /// <summary>Throughput per run (MiB/s) both ways, and ack-to-deletion times (ms) both ways.</summary>
    public sealed record Result(List<double> Ours, List<double> Theirs, List<double> InProcess, List<double> ThroughBroker, long SealedBytes, int Chunks, int ChunkBytes);

    public static async Task<Result> MeasureAsync(int megabytes, int runs, int window, CancellationToken cancellationToken)
    {
        var chunkBytes = new UplinkOptions().ChunkBytes;
        using var broker = await MosquittoBroker.StartAsync(["bench-city"]);
        var (deviceCert, deviceKey) = broker.Pki.IssueClient(DeviceId);
        var deviceKeyPath = Path.Combine(broker.Pki.Directory, DeviceId + ".key");
        var root = Directory.CreateTempSubdirectory("uplink-bench-").FullName;
        try
        {
            using var ackKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var settings = Settings(root, ackKey);
            using var vault = EvidenceVault.Open(settings, TimeProvider.System, NullLogger.Instance);
            var clip = RandomNumberGenerator.GetBytes(megabytes * 1024 * 1024);
            var item = await vault.SealAsync(BenchEvidence.Metadata(), new MemoryStream(clip), cancellationToken);
            var plan = new ChunkPlan(item.SealedBytes, chunkBytes);
            var chunkFile = Path.Combine(root, "chunk.bin");
            File.WriteAllBytes(chunkFile, new SealedBlobReader(vault, item.Id).Read(0, chunkBytes));

            await using var session = new MqttSession(Endpoint(broker, deviceCert, deviceKey), TimeProvider.System, NullLogger.Instance);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var connection = session.RunAsync(stop.Token);
            await session.WhenConnectedAsync(cancellationToken);
            var publisher = new EvidencePublisher(MosquittoBroker.Prefix, DeviceId, window, new BandwidthLimiter(0, TimeProvider.System));

            var ours = new List<double>();
            var theirs = new List<double>();
            for (var run = 0; run < runs + 1; run++)
            {
                var watch = Stopwatch.StartNew();
                await publisher.PublishManifestAsync(session.Client, vault, item, plan, cancellationToken);
                await publisher.PublishChunksAsync(session.Client, vault, item, plan, Enumerable.Range(0, plan.Count), cancellationToken);
                var oursSeconds = watch.Elapsed.TotalSeconds;
                watch.Restart();
                await MosquittoPubAsync(broker, deviceCert, deviceKeyPath, chunkFile, plan.Count, cancellationToken);
                var theirsSeconds = watch.Elapsed.TotalSeconds;
                if (run > 0)
                {
                    // The first run warms the JIT, the vault's pages and the broker; it is not counted.
                    ours.Add(item.SealedBytes / 1048576.0 / oursSeconds);
                    theirs.Add(plan.Count * (double)chunkBytes / 1048576.0 / theirsSeconds);
                }
            }

            var (inProcess, throughBroker) = await AckToDeletionAsync(vault, settings, ackKey, broker, session, runs * 4, cancellationToken);
            await stop.CancelAsync();
            await connection;

            return new Result(ours, theirs, inProcess, throughBroker, item.SealedBytes, plan.Count, chunkBytes);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Half the items acknowledged by a direct <see cref="UplinkStage.HandleAck"/> call, half by an ack the city publishes through the broker.</summary>
    private static async Task<(List<double> InProcess, List<double> ThroughBroker)> AckToDeletionAsync(EvidenceVault vault, VaultSettings settings, ECDsa ackKey, MosquittoBroker broker, MqttSession deviceSession, int items, CancellationToken cancellationToken)
    {
        var signer = new AckSigner(ackKey);
        var records = new List<EvidenceRecord>();
        for (var i = 0; i < items * 2; i++)
        {
            var record = await vault.SealAsync(BenchEvidence.Metadata(), new MemoryStream(RandomNumberGenerator.GetBytes(64 * 1024)), cancellationToken);
            vault.MarkSending(record.Id);
            records.Add(vault.MarkAwaitingAck(record.Id));
        }

        var inProcess = new List<double>();
        var throughBroker = new List<double>();
        using var verifier = settings.CreateAckVerifier(TimeProvider.System, NullLogger.Instance);
        var options = new UplinkOptions { Broker = broker.Url, AckTimeoutSeconds = 86400 };
        using var stage = new UplinkStage(vault, () => throw new UplinkException("not started"), verifier, options, DeviceId, TimeProvider.System, NullLogger.Instance);
        foreach (var record in records.Take(items))
        {
            var ack = signer.Received(DeviceId, record.Id, record.SealedSha256, DateTimeOffset.UtcNow);
            var watch = Stopwatch.StartNew();
            stage.HandleAck(ack);
            inProcess.Add(watch.Elapsed.TotalMilliseconds);
            Check(vault, record.Id);
        }

        // Through the broker: the device's own session subscribes to its ack topic and hands each ack to the stage.
        var ackTopic = UplinkProtocol.DeviceTopic(MosquittoBroker.Prefix, DeviceId, UplinkProtocol.AckTopic);
        await MqttSession.SubscribeAsync(deviceSession.Client, ackTopic, cancellationToken);
        deviceSession.MessageReceived = e =>
        {
            stage.HandleAck(e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        var (cityCert, cityKey) = broker.Pki.IssueClient("bench-city");
        await using var city = new MqttSession(Endpoint(broker, cityCert, cityKey, "bench-city"), TimeProvider.System, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = city.RunAsync(stop.Token);
        await city.WhenConnectedAsync(cancellationToken);
        foreach (var record in records.Skip(items))
        {
            var ack = signer.Received(DeviceId, record.Id, record.SealedSha256, DateTimeOffset.UtcNow);
            var watch = Stopwatch.StartNew();
            await city.Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(ackTopic).WithPayload(ack).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
            while (vault.Find(record.Id) is not null)
            {
                await Task.Yield();
            }

            throughBroker.Add(watch.Elapsed.TotalMilliseconds);
        }

        await stop.CancelAsync();
        await run;
        return (inProcess, throughBroker);
    }

    private static void Check(EvidenceVault vault, string id)
    {
        if (vault.Find(id) is not null)
        {
            throw new InvalidOperationException($"the ack did not delete {id}");
        }
    }

    private static async Task MosquittoPubAsync(MosquittoBroker broker, string certificate, string keyPath, string chunkFile, int count, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("mosquitto_pub") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "-h", "localhost", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", "-q", "1",
            "--cafile", broker.Pki.CaPath, "--cert", certificate, "--key", keyPath, "-i", DeviceId + "-pub",
            "-t", UplinkProtocol.DeviceTopic(MosquittoBroker.Prefix, DeviceId, UplinkProtocol.ChunkTopic),
            "-f", chunkFile, "--repeat", count.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub failed ({process.ExitCode}): {stderr}");
        }
    }

    private static MqttEndpoint Endpoint(MosquittoBroker broker, string certificate, string keyPem, string clientId = DeviceId) => new()
    {
        Broker = new Uri(broker.Url),
        ClientId = clientId,
        TrustRoots = UplinkCredentials.LoadTrustRoots(broker.Pki.CaPath, "ca_file"),
        ClientCertificate = UplinkCredentials.LoadClientCertificate(certificate, "client_certificate", keyPem, "bench"),
    };

    private static VaultSettings Settings(string root, ECDsa ackKey)
    {
        using var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ackPublic = ECDsa.Create();
        ackPublic.ImportSubjectPublicKeyInfo(ackKey.ExportSubjectPublicKeyInfo(), out _);
        return new VaultSettings
        {
            DatabasePath = Path.Combine(root, "vault.db"),
            AuditLogPath = Path.Combine(root, "audit.log"),
            KeysDirectory = Path.Combine(root, "vault-keys"),
            DatabasePassword = "bench",
            StorageRoot = RandomNumberGenerator.GetBytes(32),
            DeviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256),
            CityPublicKey = ECDiffieHellman.Create(city.ExportParameters(false)),
            CityAckPublicKey = ackPublic,
            DeviceId = DeviceId,
        };
    }


    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double Percentile(List<double> values, double p) => values.Order().ElementAt((int)Math.Min(values.Count - 1, Math.Ceiling(p * values.Count) - 1));
}
