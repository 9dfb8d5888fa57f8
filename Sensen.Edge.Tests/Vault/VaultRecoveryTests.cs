using System.Security.Cryptography;
using System.Text.Json;
using LiteDB;
using LiteDB.Engine;
using Sensen.Edge.Cli;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>Recovery that never destroys evidence (docs/VAULT.md, Recovery): quarantine with keys, salvage, explicit fresh starts, integrity.</summary>
[TestFixture]
internal sealed class VaultRecoveryTests : IDisposable
{
    private VaultTestEnvironment _env = null!;

    [SetUp]
    public void SetUp() => _env = new VaultTestEnvironment();

    [TearDown]
    public void TearDown() => _env.Dispose();

    public void Dispose() => _env?.Dispose();

    [Test]
    [CancelAfter(30_000)]
    public async Task Open_OneDamagedPageInAVaultOfThree_KeepsTheTwoOnUndamagedPages(CancellationToken cancellationToken)
    {
        var records = new List<EvidenceRecord>();
        var ends = new List<long>();
        using (var vault = _env.Open())
        {
            for (var i = 0; i < 3; i++)
            {
                records.Add(await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(ClipLength(i), i)), cancellationToken));
                ends.Add(new FileInfo(_env.DatabasePath).Length);
            }
        }

        // A full data page in the range the second seal appended: a middle block of one of its 64 KiB chunks, which
        // holds nothing but that chunk (LiteDB's own page dump says which pages those are).
        var page = FullDataPages().First(p => p * VaultDatabase.LitePageBytes >= ends[0] && (p + 1) * VaultDatabase.LitePageBytes <= ends[1]);
        page = (page + 1) * VaultDatabase.LitePageBytes; // file offset: the encrypted file's first page is LiteDB's salt
        var damaged = File.ReadAllBytes(_env.DatabasePath);
        RandomNumberGenerator.Fill(damaged.AsSpan((int)page, VaultDatabase.LitePageBytes));
        File.WriteAllBytes(_env.DatabasePath, damaged);

        using var capture = new Sensen.Edge.Tests.TestSupport.LogCapture();
        using var reopened = EvidenceVault.Open(_env.Settings(), _env.Time, capture.CreateLogger("vault"));

        Assert.That(reopened.List().Select(r => r.Id), Is.EqualTo(new[] { records[0].Id, records[2].Id }), capture.Text);
        foreach (var kept in new[] { records[0], records[2] })
        {
            var blob = new MemoryStream();
            reopened.CopySealedTo(kept.Id, blob);
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(blob.ToArray())), Is.EqualTo(kept.SealedSha256));
            var (json, signature) = reopened.ReadManifest(kept.Id);
            var plain = new MemoryStream();
            blob.Position = 0;
            await new EvidenceOpener(_env.CityKey).OpenAsync(EvidenceOpener.Verify(json, signature, _env.DeviceKey), blob, plain, cancellationToken);
            var n = kept == records[0] ? 0 : 2;
            Assert.That(plain.ToArray(), Is.EqualTo(VaultTestEnvironment.Clip(ClipLength(n), n)));
        }

        var report = reopened.Salvaged!;
        Assert.That(report.Lost, Is.EqualTo(new[] { records[1].Id }));
        // Kept as it was, but for LiteDB's header page: LiteDB itself flags "invalid data file state" there on the first bad read.
        var quarantined = File.ReadAllBytes(Path.Combine(report.Quarantine, "vault.db"));
        Assert.That(quarantined.Length, Is.EqualTo(damaged.Length));
        Assert.That(quarantined.AsSpan(2 * VaultDatabase.LitePageBytes).SequenceEqual(damaged.AsSpan(2 * VaultDatabase.LitePageBytes)), Is.True, "the damaged file is kept, its pages unaltered");
        Assert.That(Directory.GetFiles(Path.Combine(report.Quarantine, "vault-keys")).Select(Path.GetFileName), Is.EqualTo(new[] { $"epoch-{records[0].Epoch:D8}.key" }), "with its epoch keys beside it");
        Assert.That(Audit().Any(l => l.GetProperty("event").GetString() == "vault_salvaged"), Is.True);
        Assert.That(Audit().Any(l => l.GetProperty("event").GetString() == "salvage_lost" && l.GetProperty("evidence_id").GetString() == records[1].Id), Is.True);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Open_FileUnreadableThroughout_QuarantinedRefusedUntilTheOperatorsMarker(CancellationToken cancellationToken)
    {
        var record = await _env.SealInClosedVaultAsync(50_000, cancellationToken);

        var damaged = File.ReadAllBytes(_env.DatabasePath);
        RandomNumberGenerator.Fill(damaged.AsSpan(8192, damaged.Length - 8192));
        File.WriteAllBytes(_env.DatabasePath, damaged);

        var ex = Assert.Throws<VaultException>(() => _env.Open());

        var quarantine = Directory.GetDirectories(_env.StateDirectory, "vault.db.corrupt-*").Single();
        Assert.That(ex!.ExitCode, Is.EqualTo(ExitCodes.DataError));
        Assert.That(ex.Message, Is.EqualTo($"vault database {_env.DatabasePath} is corrupt beyond reading; it is quarantined in {quarantine} with its epoch keys (nothing deleted). Restore a copy, or create {_env.DatabasePath}.start-fresh to start with an empty vault on purpose"));
        Assert.That(File.ReadAllBytes(Path.Combine(quarantine, "vault.db")), Is.EqualTo(damaged));
        Assert.That(File.Exists(Path.Combine(quarantine, "vault-keys", $"epoch-{record.Epoch:D8}.key")), Is.True);

        Assert.Throws<VaultException>(() => _env.Open(), "still refused on the next start: no inference, only the marker");
        Assert.That(File.Exists(_env.DatabasePath), Is.False);

        File.WriteAllText(_env.DatabasePath + ".start-fresh", "");
        using var fresh = _env.Open();
        Assert.That(fresh.List(), Is.Empty);
        Assert.That(File.Exists(_env.DatabasePath + ".start-fresh"), Is.False, "the marker is used once");
        Assert.That(File.Exists(Path.Combine(quarantine, "vault-keys", $"epoch-{record.Epoch:D8}.key")), Is.True, "the sweep leaves the quarantine's keys alone");
    }

    [Test]
    public void Open_MissingDatabaseBesideAnOldCorruptFile_RefusedNotStartedAfresh()
    {
        _env.Open().Dispose();
        File.Move(_env.DatabasePath, _env.DatabasePath + ".corrupt-20260101T000000Z");
        File.Delete(_env.AuditLogPath);

        var ex = Assert.Throws<VaultException>(() => _env.Open());

        Assert.That(ex!.Kind, Is.EqualTo(VaultErrorKind.Missing));
        Assert.That(File.Exists(_env.DatabasePath), Is.False);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Open_LegacyQuarantineWithoutKeys_SweepKeepsEveryEpochKey(CancellationToken cancellationToken)
    {
        var record = await _env.SealInClosedVaultAsync(1000, cancellationToken);

        // A file an older version moved aside (no keys beside it) may need this epoch; so does nothing live after the ack.
        File.WriteAllText(_env.DatabasePath + ".corrupt-20260101T000000Z", "old damaged vault");
        using (var vault = _env.Open())
        {
            vault.MarkSending(record.Id);
            vault.MarkAwaitingAck(record.Id);
            vault.Acknowledge(_env.Received(record));
        }

        // Deleting the last record shreds its epoch at once (that is the point); the sweep at open must not do more.
        using (var vault = _env.Open())
        {
            Assert.That(vault.List(), Is.Empty);
        }

        Assert.That(Directory.GetFiles(_env.KeysDirectory), Is.Empty);
        Assert.That(File.Exists(_env.DatabasePath + ".corrupt-20260101T000000Z"), Is.True);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Open_OrphanEpochKeyWhileALegacyQuarantineExists_NotShredded(CancellationToken cancellationToken)
    {
        await _env.SealInClosedVaultAsync(1000, cancellationToken);

        var orphan = Path.Combine(_env.KeysDirectory, "epoch-00000001.key");
        File.WriteAllBytes(orphan, RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(_env.DatabasePath + ".corrupt-20260101T000000Z", "old damaged vault");

        _env.Open().Dispose();
        Assert.That(File.Exists(orphan), Is.True, "a bare quarantined file may need it");

        File.Delete(_env.DatabasePath + ".corrupt-20260101T000000Z");
        _env.Open().Dispose();
        Assert.That(File.Exists(orphan), Is.False, "with nothing that could need it, the sweep shreds it");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Open_HoldLiftedByEditingTheFile_RecordFailsItsCheckAndIsNotReleased(CancellationToken cancellationToken)
    {
        EvidenceRecord held, other;
        using (var vault = _env.Open())
        {
            held = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
            other = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000, 2)), cancellationToken);
            vault.Hold(held.Id, "court case");
        }

        EditRecord(held.Id, doc => doc["hold"] = false);

        using var reopened = _env.Open();

        Assert.That(reopened.Find(held.Id), Is.Null, "an altered record is not served (its hold could have been lifted)");
        Assert.That(reopened.Find(other.Id), Is.Not.Null);
        Assert.That(reopened.Salvaged!.Lost, Is.EqualTo(new[] { held.Id }));
        Assert.That(File.Exists(Path.Combine(reopened.Salvaged.Quarantine, "vault.db")), Is.True, "it survives in the quarantine");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Acknowledge_SealedHashEditedInTheFile_NeverDeletes(CancellationToken cancellationToken)
    {
        EvidenceRecord record;
        using (var vault = _env.Open())
        {
            record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
            vault.MarkSending(record.Id);
            vault.MarkAwaitingAck(record.Id);
        }

        var forged = new string('f', 64);
        EditRecord(record.Id, doc => doc["sealed_sha256"] = forged);

        using var reopened = _env.Open();
        var ack = _env.Verified(_env.AckSigner.Received(VaultTestEnvironment.DeviceId, record.Id, forged, _env.Time.GetUtcNow()));

        Assert.That(reopened.Acknowledge(ack), Is.EqualTo(AckResult.Unknown), "the altered record is not in the live vault");
        Assert.That(File.Exists(Path.Combine(reopened.Salvaged!.Quarantine, "vault.db")), Is.True);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Salvage_OnAHealthyVault_KeepsEverythingAndQuarantinesTheOriginal(CancellationToken cancellationToken)
    {
        EvidenceRecord record;
        using (var vault = _env.Open())
        {
            record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(100_000)), cancellationToken);
            vault.Hold(record.Id, "court case");
        }

        using var settings = _env.Settings();
        var report = EvidenceVault.Salvage(settings, _env.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.That(report.Kept, Is.EqualTo(new[] { record.Id }));
        Assert.That(report.Lost, Is.Empty);
        using var vault2 = _env.Open();
        Assert.That(vault2.Find(record.Id)?.LegalHold, Is.True);
        Assert.That(vault2.HoldReason(record.Id), Is.EqualTo("court case"));
        Assert.That(JsonDocument.Parse(File.ReadAllText(Path.Combine(report.Quarantine, "SALVAGED"))).RootElement.GetProperty("kept")[0].GetString(), Is.EqualTo(record.Id));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task QueueSalvage_Verb_ReportsWhatItKeptExit0(CancellationToken cancellationToken)
    {
        var record = await _env.SealInClosedVaultAsync(1000, cancellationToken);

        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = QueueCommand.Salvage(_env.WriteConfig(), stdout, stderr);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr.ToString());
        var quarantine = Directory.GetDirectories(_env.StateDirectory, "vault.db.corrupt-*").Single();
        Assert.That(stdout.ToString(), Is.EqualTo($"1 item(s) kept, 0 lost; the original is in {quarantine}" + Environment.NewLine));
        using var reopened = _env.Open();
        Assert.That(reopened.Find(record.Id), Is.Not.Null);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Open_SalvageCutShortAfterTheMove_FinishedOnTheNextStart(CancellationToken cancellationToken)
    {
        var record = await _env.SealInClosedVaultAsync(10_000, cancellationToken);

        // What a power cut right after the quarantine move leaves: the file in the quarantine, no vault, no result.
        var quarantine = _env.DatabasePath + ".corrupt-20261128T080000Z";
        Directory.CreateDirectory(Path.Combine(quarantine, "vault-keys"));
        File.Move(_env.DatabasePath, Path.Combine(quarantine, "vault.db"));
        foreach (var key in Directory.GetFiles(_env.KeysDirectory))
        {
            File.Copy(key, Path.Combine(quarantine, "vault-keys", Path.GetFileName(key)));
        }

        using var reopened = _env.Open();

        Assert.That(reopened.List().Select(r => r.Id), Is.EqualTo(new[] { record.Id }));
        Assert.That(File.Exists(Path.Combine(quarantine, "SALVAGED")), Is.True);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Open_TornUncommittedTailInTheLog_DroppedCommittedPrefixKept(CancellationToken cancellationToken)
    {
        var record = await _env.SealInClosedVaultAsync(10_000, cancellationToken);

        // Garbage pages after the (checkpointed, header-only) log: what a cut mid-transaction leaves without page checksums.
        using (var log = new FileStream(_env.LogPath, FileMode.Open, FileAccess.Write))
        {
            log.Position = log.Length;
            log.Write(RandomNumberGenerator.GetBytes(3 * VaultDatabase.LitePageBytes + 100));
        }

        using var reopened = _env.Open();

        Assert.That(reopened.List().Select(r => r.Id), Is.EqualTo(new[] { record.Id }));
        Assert.That(reopened.Salvaged, Is.Null, "an uncommitted tail is not corruption");
        Assert.That(new FileInfo(_env.LogPath).Length, Is.LessThanOrEqualTo(VaultDatabase.LitePageBytes));
    }

    /// <summary>Page ids of the data pages without free bytes, from LiteDB's <c>$dump</c> system collection.</summary>
    private List<long> FullDataPages()
    {
        var password = File.ReadAllText(Path.Combine(_env.CredentialsDirectory, "vault-db-key")).TrimEnd('\n');
        using var db = new LiteDatabase(new ConnectionString { Filename = _env.DatabasePath, Password = password, ReadOnly = true });
        var pages = new List<long>();
        using var reader = db.Execute("SELECT $ FROM $dump");
        while (reader.Read())
        {
            var dump = reader.Current.AsDocument;
            if (dump["pageType"].AsString == "Data" && dump["freeBytes"].AsInt32 == 0)
            {
                pages.Add(dump["pageID"].AsInt64);
            }
        }

        return pages;
    }

    private static int ClipLength(int item) => item == 1 ? 450_000 : 100_000;

    /// <summary>Edits one evidence record with LiteDB itself, as someone holding the database password could.</summary>
    private void EditRecord(string id, Action<BsonDocument> edit)
    {
        var password = File.ReadAllText(Path.Combine(_env.CredentialsDirectory, "vault-db-key")).TrimEnd('\n');
        using var db = new LiteDatabase(new ConnectionString { Filename = _env.DatabasePath, Password = password });
        var collection = db.GetCollection("evidence");
        var doc = collection.FindById(id);
        edit(doc);
        collection.Update(doc);
        db.Checkpoint();
    }

    private List<JsonElement> Audit() =>
        File.ReadAllLines(_env.AuditLogPath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
}
