using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>
/// Power cuts, not only kills (a SIGKILL leaves the page cache to finish the writes; a power cut does not): a
/// workload runs once over <see cref="PowerCutDisk"/>, then the file image a cut could leave at each of many points
/// is reopened. Nothing reported sealed is lost, nothing acknowledged comes back, the vault always opens cleanly.
/// The longer soak is <c>dotnet Sensen.Edge.Tests.dll vault-power-soak [cuts] [seed]</c> (not in CI).
/// </summary>
[TestFixture]
[NonParallelizable]
internal sealed class VaultPowerLossTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Open_ImageAfterAPowerCut_NothingReportedLostNothingAcknowledgedBack(CancellationToken cancellationToken)
    {
        var checkedCuts = await RunAsync(cuts: 200, seed: 20261128, cancellationToken);

        Assert.That(checkedCuts, Is.EqualTo(200));
    }

    /// <summary>Runs the workload once and checks <paramref name="cuts"/> cut points; returns how many were checked.</summary>
    public static async Task<int> RunAsync(int cuts, int seed, CancellationToken cancellationToken)
    {
        using var env = new VaultTestEnvironment();
        var disk = new PowerCutDisk();
        env.OpenFile = disk.Open;
        var log = new List<(string Event, string Id, int At)>();
        using (var vault = env.Open())
        {
            async Task<EvidenceRecord> Seal(int n)
            {
                log.Add(("seal_started", "", disk.Count));
                var record = await vault.SealAsync(VaultTestEnvironment.Metadata(env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(3_000 + (n * 977), n)), cancellationToken);
                log.Add(("sealed", record.Id, disk.Count));
                return record;
            }

            void Ack(EvidenceRecord r)
            {
                vault.MarkSending(r.Id);
                vault.MarkAwaitingAck(r.Id);
                log.Add(("ack_started", r.Id, disk.Count));
                Assert.That(vault.Acknowledge(env.Received(r)), Is.EqualTo(AckResult.Deleted));
                log.Add(("acked", r.Id, disk.Count));
            }

            var keeper = await Seal(0);
            vault.Hold(keeper.Id, "keeps the epoch key alive");
            var items = new List<EvidenceRecord>();
            for (var n = 1; n <= 6; n++)
            {
                items.Add(await Seal(n));
                if (n % 2 == 0)
                {
                    Ack(items[^2]);
                }
            }

            vault.MarkSending(items[^1].Id);
            vault.Requeue(items[^1].Id, "ack_timeout");
            Ack(items[^1]);
        }

        // Each image is written to the real paths (the vault's existence checks see it), then opened in memory: the
        // vault's reopen writes (checkpoint, clock) need no fsync here, which keeps 200 cut points to seconds.
        env.OpenFile = (path, create) =>
        {
            var copy = new MemoryStream();
            if (File.Exists(path))
            {
                copy.Write(File.ReadAllBytes(path));
                copy.Position = 0;
            }
            else if (!create)
            {
                throw new FileNotFoundException("no such file", path);
            }

            return copy;
        };
        var keys = Directory.GetFiles(env.KeysDirectory).ToDictionary(f => f, File.ReadAllBytes);
        var total = disk.Count;
        var random = new Random(seed);
        for (var i = 0; i < cuts; i++)
        {
            var cut = i == 0 ? total : random.Next(1, total + 1);
            cancellationToken.ThrowIfCancellationRequested();
            // The key files are real (fsynced) files; an image cut before the first seal lets the sweep shred them.
            foreach (var (path, bytes) in keys)
            {
                File.WriteAllBytes(path, bytes);
            }

            CheckImage(env, disk.ImageAt(cut, random), log, cut);
        }

        return cuts;
    }

    private static void CheckImage(VaultTestEnvironment env, Dictionary<string, byte[]> image, List<(string Event, string Id, int At)> log, int cut)
    {
        foreach (var stale in Directory.EnumerateFileSystemEntries(env.StateDirectory, "vault*").Where(p => !p.EndsWith("vault-keys", StringComparison.Ordinal)))
        {
            if (Directory.Exists(stale))
            {
                Directory.Delete(stale, recursive: true);
            }
            else
            {
                File.Delete(stale);
            }
        }

        foreach (var (path, bytes) in image)
        {
            File.WriteAllBytes(path, bytes);
        }

        if (!image.TryGetValue(env.DatabasePath, out var data) || data.Length == 0)
        {
            // Cut before the new file's first page reached the disk: no seal had returned yet, so nothing was reported.
            Assert.That(log.Any(e => e.Event == "sealed" && e.At <= cut), Is.False, $"cut {cut}: a seal was reported before the file existed");
            return;
        }

        using var settings = env.Settings();
        using var vault = EvidenceVault.Open(settings, env.Time, NullLogger.Instance);
        Assert.That(vault.Salvaged, Is.Null, $"cut {cut}: a power cut must not leave corruption behind");
        var present = vault.List().Select(r => r.Id).ToHashSet();
        foreach (var (@event, id, at) in log.Where(e => e.At <= cut))
        {
            var deleted = log.Any(e => e.Event == "acked" && e.Id == id && e.At <= cut);
            var deleting = log.Any(e => e.Event == "ack_started" && e.Id == id && e.At <= cut);
            if (@event == "sealed" && !deleting)
            {
                Assert.That(present, Does.Contain(id), $"cut {cut}: {id} was reported sealed and is lost");
            }

            if (deleted)
            {
                Assert.That(present, Does.Not.Contain(id), $"cut {cut}: {id} was acknowledged and came back");
            }
        }

        var started = log.Count(e => e.Event == "seal_started" && e.At <= cut);
        Assert.That(present.Count, Is.LessThanOrEqualTo(started), $"cut {cut}: more items than seals started");
        foreach (var id in present)
        {
            vault.CopySealedTo(id, Stream.Null);
        }
    }
}
