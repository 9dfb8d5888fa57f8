using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Bench;

/// <summary>
/// Seal + durable store of a clip, against its limit: one AES-256-GCM pass over the same bytes in memory.
/// Also seal alone (two SHA-256 passes, GCM, key wrap, signature) to show where the time goes.
/// </summary>
internal sealed class VaultBenchmark : IBenchmark
{
    public string Name => "vault";

    public string Description => "seal+store MB/s vs raw AES-GCM on the same bytes [MB per clip, default 16] [runs, default 7]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 16;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        var (raw, seal, store) = await MeasureAsync(megabytes, runs, cancellationToken);
        Console.WriteLine($"clip {megabytes} MiB, {runs} runs, medians (MiB/s):");
        Console.WriteLine($"  raw AES-256-GCM, one pass in memory   {raw,8:F0}");
        Console.WriteLine($"  seal (hash, chunked GCM, wrap, sign)  {seal,8:F0}   {seal / raw,5:P0} of raw");
        Console.WriteLine($"  seal + store (LiteDB, fsync, ack)     {store,8:F0}   {store / raw,5:P0} of raw");
        return 0;
    }

    /// <summary>The suite's figures: seal and seal + store against one AES-GCM pass (no goal: they show where the time goes).</summary>
    public static async Task<IReadOnlyList<BenchFigure>> FiguresAsync(int megabytes, int runs, CancellationToken cancellationToken)
    {
        var (raw, seal, store) = await MeasureAsync(megabytes, runs, cancellationToken);
        return
        [
            new("vault", $"seal a {megabytes} MiB clip (two SHA-256, chunked GCM, ECDH wrap, ECDSA) vs one AES-256-GCM pass in memory", seal, raw, "MiB/s"),
            new("vault", $"seal + store (LiteDB, two fsyncs) vs one AES-256-GCM pass in memory", store, raw, "MiB/s"),
        ];
    }

    /// <summary>Medians in MiB/s over <paramref name="runs"/> after a warm-up run: raw AES-GCM, seal, seal + store.</summary>
    public static async Task<(double Raw, double Seal, double Store)> MeasureAsync(int megabytes, int runs, CancellationToken cancellationToken)
    {
        var clip = RandomNumberGenerator.GetBytes(megabytes * 1024 * 1024);
        var root = Directory.CreateTempSubdirectory("vault-bench-").FullName;
        try
        {
            using var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            using var cityPublic = ECDiffieHellman.Create();
            cityPublic.ImportSubjectPublicKeyInfo(city.ExportSubjectPublicKeyInfo(), out _);
            using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var settings = new VaultSettings
            {
                DatabasePath = Path.Combine(root, "vault.db"),
                AuditLogPath = Path.Combine(root, "audit.log"),
                KeysDirectory = Path.Combine(root, "vault-keys"),
                DatabasePassword = "bench",
                StorageRoot = RandomNumberGenerator.GetBytes(32),
                DeviceKey = ECDsa.Create(device.ExportParameters(true)),
                CityPublicKey = ECDiffieHellman.Create(cityPublic.ExportParameters(false)),
                DeviceId = "bench",
            };
            using var vault = EvidenceVault.Open(settings, TimeProvider.System, NullLogger.Instance);
            using var ackKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var signer = new AckSigner(ackKey);
            using var verifier = new AckVerifier(ackKey, "bench", TimeProvider.System);
            var sealer = new EvidenceSealer(cityPublic, device, "bench");
            var metadata = BenchEvidence.Metadata();

            var raw = new List<double>();
            var seal = new List<double>();
            var store = new List<double>();
            var output = new byte[clip.Length];
            var tag = new byte[16];
            var key = RandomNumberGenerator.GetBytes(32);
            var nonce = new byte[12];
            for (var run = 0; run < runs + 1; run++)
            {
                var watch = Stopwatch.StartNew();
                using (var aes = new AesGcm(key, 16))
                {
                    aes.Encrypt(nonce, clip, output, tag);
                }

                var rawSeconds = watch.Elapsed.TotalSeconds;
                watch.Restart();
                await sealer.SealAsync(Guid.CreateVersion7(), metadata, DateTimeOffset.UtcNow, new MemoryStream(clip), cancellationToken);
                var sealSeconds = watch.Elapsed.TotalSeconds;
                watch.Restart();
                var record = await vault.SealAsync(metadata, new MemoryStream(clip), cancellationToken);
                var storeSeconds = watch.Elapsed.TotalSeconds;
                vault.MarkSending(record.Id);
                vault.MarkAwaitingAck(record.Id);
                vault.Acknowledge(verifier.Verify(signer.Received("bench", record.Id, record.SealedSha256, DateTimeOffset.UtcNow)).Ack!);
                if (run > 0)
                {
                    // The first run warms the JIT and the file; it is not counted.
                    raw.Add(megabytes / rawSeconds);
                    seal.Add(megabytes / sealSeconds);
                    store.Add(megabytes / storeSeconds);
                }
            }

            static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
            return (Median(raw), Median(seal), Median(store));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
