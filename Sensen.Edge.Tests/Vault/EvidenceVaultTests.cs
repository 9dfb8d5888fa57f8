using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sensen.Edge.Cli;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

[TestFixture]
internal sealed class EvidenceVaultTests : IDisposable
{
    private static readonly string[] FullLifecycle =
    [
        ">sealed:sealed",
        "sealed>sending:send_started",
        "sending>awaiting_ack:all_chunks_sent",
        "awaiting_ack>deleted:acknowledged",
    ];

    private VaultTestEnvironment _env = null!;

    [SetUp]
    public void SetUp() => _env = new VaultTestEnvironment();

    [TearDown]
    public void TearDown() => _env.Dispose();

    public void Dispose() => _env?.Dispose();

    [Test]
    [CancelAfter(20_000)]
    public async Task SealAsync_ThenReopen_ItemAndSealedBytesSurvive(CancellationToken cancellationToken)
    {
        var clip = VaultTestEnvironment.Clip(150_000);
        EvidenceRecord record;
        using (var vault = _env.Open())
        {
            record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(clip), cancellationToken);
        }

        using var reopened = _env.Open();
        var found = reopened.Find(record.Id);
        Assert.That(found, Is.Not.Null);
        Assert.That(found!.State, Is.EqualTo(EvidenceState.Sealed));
        var (json, signature) = reopened.ReadManifest(record.Id);
        var manifest = EvidenceOpener.Verify(json, signature, _env.DeviceKey);
        var blob = new MemoryStream();
        reopened.CopySealedTo(record.Id, blob);
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(blob.ToArray())), Is.EqualTo(record.SealedSha256));

        var plain = new MemoryStream();
        blob.Position = 0;
        await new EvidenceOpener(_env.CityKey).OpenAsync(manifest, blob, plain, cancellationToken);
        Assert.That(plain.ToArray(), Is.EqualTo(clip), "the city opens what the vault kept");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task SealAsync_EveryCommit_FsyncsLogAndDataFile(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var before = vault.SyncCounts;

        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(10_000)), cancellationToken);
        var afterSeal = vault.SyncCounts;
        vault.MarkSending(record.Id);
        var afterMove = vault.SyncCounts;

        Assert.Multiple(() =>
        {
            Assert.That(afterSeal.Log, Is.GreaterThan(before.Log), "the commit reached the log file's disk");
            Assert.That(afterSeal.Data, Is.GreaterThan(before.Data), "the checkpoint reached the data file's disk");
            Assert.That(afterMove.Log, Is.GreaterThan(afterSeal.Log));
            Assert.That(afterMove.Data, Is.GreaterThan(afterSeal.Data));
            Assert.That(new FileInfo(_env.LogPath).Length, Is.LessThanOrEqualTo(8192), "checkpointed: the log holds only its header page");
        });
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Acknowledge_AfterSendingAndMatchingHash_DeletesAndAudits(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);

        Assert.That(vault.NextToSend()?.Id, Is.EqualTo(record.Id));
        vault.MarkSending(record.Id);
        Assert.That(vault.NextToSend(), Is.Null);
        vault.MarkAwaitingAck(record.Id);
        Assert.That(vault.Acknowledge(_env.Received(record, new string('0', 64))), Is.EqualTo(AckResult.HashMismatch));
        Assert.That(vault.Find(record.Id)?.State, Is.EqualTo(EvidenceState.AwaitingAck), "a mismatched ack deletes nothing");
        var receipt = _env.Received(record);
        Assert.That(vault.Acknowledge(receipt), Is.EqualTo(AckResult.Deleted));
        Assert.That(vault.Find(record.Id), Is.Null);
        Assert.That(vault.Acknowledge(receipt), Is.EqualTo(AckResult.Unknown), "a repeated ack is harmless");

        var transitions = AuditLines().Where(l => l.GetProperty("event").GetString() == "transition" && l.GetProperty("evidence_id").GetString() == record.Id)
            .Select(l => (l.TryGetProperty("from", out var f) ? f.GetString() : null) + ">" + l.GetProperty("to").GetString() + ":" + l.GetProperty("reason").GetString())
            .ToList();
        Assert.That(transitions, Is.EqualTo(FullLifecycle));
        Assert.That(AuditLines().Any(l => l.GetProperty("event").GetString() == "ack_refused"), Is.True);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Acknowledge_ItemNeverSent_NotAwaitingAckAndKept(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);

        Assert.That(vault.Acknowledge(_env.Received(record)), Is.EqualTo(AckResult.NotAwaitingAck));

        Assert.That(vault.Find(record.Id)?.State, Is.EqualTo(EvidenceState.Sealed), "an ack for a clip that was never sent deletes nothing");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Acknowledge_WhileSending_Deletes(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        vault.MarkSending(record.Id);

        Assert.That(vault.Acknowledge(_env.Received(record)), Is.EqualTo(AckResult.Deleted), "the city may confirm before the last chunk's send is recorded");
        Assert.That(vault.Find(record.Id), Is.Null);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Acknowledge_MissingChunksAck_NotAReceiptAndKept(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        vault.MarkSending(record.Id);
        vault.MarkAwaitingAck(record.Id);

        var missing = _env.Verified(_env.AckSigner.Missing(VaultTestEnvironment.DeviceId, record.Id, record.SealedSha256, [0], _env.Time.GetUtcNow()));

        Assert.That(vault.Acknowledge(missing), Is.EqualTo(AckResult.NotAReceipt));
        Assert.That(vault.Find(record.Id)?.State, Is.EqualTo(EvidenceState.AwaitingAck));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Acknowledge_SameRefusalRepeated_CountedEachTimeAuditedAndLoggedOnce(CancellationToken cancellationToken)
    {
        using var capture = new Sensen.Edge.Tests.TestSupport.LogCapture();
        using var vault = EvidenceVault.Open(_env.Settings(), _env.Time, capture.CreateLogger("vault"));
        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        var counted = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, vault.Meter) && instrument.Name == "sensen.vault.acks_refused")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => counted.Add($"{value} {tags[0].Value}"));
        listener.Start();
        var ack = _env.Received(record);

        for (var i = 0; i < 3; i++)
        {
            Assert.That(vault.Acknowledge(ack), Is.EqualTo(AckResult.NotAwaitingAck));
        }

        Assert.That(counted, Is.EqualTo(new[] { "1 not_awaiting_ack", "1 not_awaiting_ack", "1 not_awaiting_ack" }));
        Assert.That(capture.Lines.Where(l => l.Contains("refused", StringComparison.Ordinal)), Is.EqualTo(new[] { $"Warning vault: Verified ack for {record.Id} refused (not_awaiting_ack); nothing was deleted" }));
        Assert.That(AuditLines().Count(l => l.GetProperty("event").GetString() == "ack_refused"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task MarkAwaitingAck_FromSealed_RefusedAndNothingChanges(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);

        var ex = Assert.Throws<VaultException>(() => vault.MarkAwaitingAck(record.Id));

        Assert.That(ex!.Message, Is.EqualTo($"evidence {record.Id} is sealed; it cannot become awaiting_ack"));
        Assert.That(ex.ExitCode, Is.EqualTo(ExitCodes.DataError));
        Assert.That(vault.Find(record.Id)?.State, Is.EqualTo(EvidenceState.Sealed));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PurgeExpired_AfterRetention_DeletesAllButLegalHold(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var kept = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        var held = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000, 2)), cancellationToken);
        var sending = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000, 3)), cancellationToken);
        vault.MarkSending(sending.Id);
        vault.Hold(held.Id, "court case 2026/17");

        _env.Time.Advance(TimeSpan.FromDays(29.9));
        Assert.That(vault.PurgeExpired(), Is.Zero);
        _env.Time.Advance(TimeSpan.FromDays(0.2));
        Assert.That(vault.PurgeExpired(), Is.EqualTo(2));

        Assert.That(vault.List().Select(r => r.Id), Is.EqualTo(new[] { held.Id }));
        Assert.That(vault.HoldReason(held.Id), Is.EqualTo("court case 2026/17"));
        Assert.That(vault.Find(kept.Id), Is.Null);
        Assert.That(File.ReadAllText(_env.AuditLogPath), Does.Not.Contain("court case"), "the audit log holds only the reason's hash");

        _env.Time.Advance(TimeSpan.FromDays(365));
        Assert.That(vault.PurgeExpired(), Is.Zero, "a legal hold survives any retention");
        vault.Release(held.Id);
        Assert.That(vault.PurgeExpired(), Is.EqualTo(1));
        Assert.That(vault.List(), Is.Empty);
        Assert.That(AuditLines().Count(l => l.TryGetProperty("to", out var to) && to.GetString() == "expired"), Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task SealAsync_QuotaFullRejectNew_RefusesAndKeepsEverything(CancellationToken cancellationToken)
    {
        using var vault = _env.Open(_env.Settings(quotaBytes: 250_000));
        var first = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(120_000)), cancellationToken);
        var second = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(120_000, 2)), cancellationToken);

        var ex = await Assert.ThrowsAsync<VaultException>(() => vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(120_000, 3)), cancellationToken));

        Assert.That(ex!.Kind, Is.EqualTo(VaultErrorKind.Full));
        Assert.That(ex.Message, Does.StartWith("vault quota of 250000 bytes is full"));
        Assert.That(vault.List().Select(r => r.Id), Is.EqualTo(new[] { first.Id, second.Id }));
        Assert.That(AuditLines().Any(l => l.GetProperty("event").GetString() == "evidence_rejected" && l.GetProperty("reason").GetString() == "quota"), Is.True);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task SealAsync_QuotaFullEvictOldest_EvictsOldestNotOnHold(CancellationToken cancellationToken)
    {
        using var vault = _env.Open(_env.Settings(quotaBytes: 250_000, policy: QuotaPolicy.EvictOldest));
        var oldest = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(100_000)), cancellationToken);
        _env.Time.Advance(TimeSpan.FromMinutes(1));
        var older = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(100_000, 2)), cancellationToken);
        vault.Hold(oldest.Id, "hold");
        _env.Time.Advance(TimeSpan.FromMinutes(1));

        var newest = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(100_000, 3)), cancellationToken);

        Assert.That(vault.List().Select(r => r.Id), Is.EqualTo(new[] { oldest.Id, newest.Id }), "the held item stays; the oldest unheld one went");
        Assert.That(vault.Find(older.Id), Is.Null);

        vault.Hold(newest.Id, "hold");
        var ex = await Assert.ThrowsAsync<VaultException>(() => vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(100_000, 4)), cancellationToken));
        Assert.That(ex!.Kind, Is.EqualTo(VaultErrorKind.Full), "nothing evictable is left: legal holds are never evicted");
        Assert.That(vault.List(), Has.Count.EqualTo(2));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task SealAsync_EvictOldestCannotMakeEnoughRoom_RefusesAndEvictsNothing(CancellationToken cancellationToken)
    {
        using var vault = _env.Open(_env.Settings(quotaBytes: 250_000, policy: QuotaPolicy.EvictOldest));
        var evictable = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(100_000)), cancellationToken);
        var held = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(100_000, 2)), cancellationToken);
        vault.Hold(held.Id, "hold");

        var ex = await Assert.ThrowsAsync<VaultException>(() => vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(200_000, 3)), cancellationToken));

        Assert.That(ex!.Kind, Is.EqualTo(VaultErrorKind.Full));
        Assert.That(vault.List().Select(r => r.Id), Is.EqualTo(new[] { evictable.Id, held.Id }), "evicting the one evictable item would not have made room, so it stays");
        Assert.That(AuditLines().Any(l => l.TryGetProperty("reason", out var r) && r.GetString() == "quota_evicted"), Is.False);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Hold_AuditLine_CarriesASaltedKeyedHashNotThePlainSha256(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var a = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        var b = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000, 2)), cancellationToken);

        vault.Hold(a.Id, "court case 17");
        vault.Hold(b.Id, "court case 17");

        var details = AuditLines().Where(l => l.GetProperty("event").GetString() == "legal_hold").Select(l => l.GetProperty("detail").GetString()!).ToList();
        var plain = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("court case 17")));
        Assert.That(details, Has.Count.EqualTo(2));
        Assert.That(details, Has.All.Match("^reason_salt=[0-9a-f]{32};reason_hmac_sha256=[0-9a-f]{64}$"));
        Assert.That(details[0], Is.Not.EqualTo(details[1]), "the same reason hashes differently each time");
        Assert.That(string.Join("\n", details), Does.Not.Contain(plain));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task SealAsync_EveryCommit_FsyncsTheLogTwice(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var before = vault.SyncCounts;

        await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(10_000)), cancellationToken);

        Assert.That(vault.SyncCounts.Log - before.Log, Is.EqualTo(2), "once before the commit mark, once after the checkpoint truncated the log");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Delete_LastRecordOfEpoch_DestroysTheEpochKey(CancellationToken cancellationToken)
    {
        using var vault = _env.Open(_env.Settings());
        var early = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        _env.Time.Advance(TimeSpan.FromDays(8));
        var late = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000, 2)), cancellationToken);
        Assert.That(early.Epoch, Is.Not.EqualTo(late.Epoch), "7-day epochs rotate");
        Assert.That(Directory.GetFiles(_env.KeysDirectory), Has.Length.EqualTo(2));

        Assert.That(_env.Deliver(vault, early), Is.EqualTo(AckResult.Deleted));

        var keyFiles = Directory.GetFiles(_env.KeysDirectory).Select(Path.GetFileName).ToList();
        Assert.That(keyFiles, Is.EqualTo(new[] { $"epoch-{late.Epoch:D8}.key" }));
        Assert.That(AuditLines().Any(l => l.GetProperty("event").GetString() == "epoch_destroyed" && l.GetProperty("epoch").GetInt64() == early.Epoch), Is.True);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(Path.Combine(_env.KeysDirectory, keyFiles[0]!)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Files_AfterSealingAndDeleting_HoldNoPlaintextAndNoContentKey(CancellationToken cancellationToken)
    {
        var keys = new List<byte[]>();
        using (var vault = _env.Open())
        {
            var opener = new EvidenceOpener(_env.CityKey);
            for (var i = 0; i < 4; i++)
            {
                var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(90_000, i)), cancellationToken);
                var (json, signature) = vault.ReadManifest(record.Id);
                keys.Add(opener.UnwrapContentKey(EvidenceOpener.Verify(json, signature, _env.DeviceKey)));
                vault.Hold(record.Id, "HOLD-REASON-PLAINTEXT");
            }

            var first = vault.List()[0];
            vault.Release(first.Id);
            Assert.That(_env.Deliver(vault, first), Is.EqualTo(AckResult.Deleted));
        }

        string[] needles = [VaultTestEnvironment.ManifestMarker, "bus-lane-peak", "ppocr-v4-det", "CLIP-PLAINTEXT-", "HOLD-REASON-PLAINTEXT", "unit-test-01"];
        var files = Directory.EnumerateFiles(_env.StateDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.That(files, Does.Contain(_env.DatabasePath).And.Contain(_env.LogPath).And.Contain(_env.AuditLogPath));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var needle in needles)
            {
                Assert.That(IndexOf(bytes, Encoding.UTF8.GetBytes(needle)), Is.EqualTo(-1), $"{Path.GetFileName(file)} contains '{needle}'");
                Assert.That(IndexOf(bytes, Encoding.Unicode.GetBytes(needle)), Is.EqualTo(-1), $"{Path.GetFileName(file)} contains '{needle}' (UTF-16)");
            }

            foreach (var key in keys)
            {
                Assert.That(IndexOf(bytes, key), Is.EqualTo(-1), $"{Path.GetFileName(file)} contains a content key");
            }
        }
    }

    [Test]
    public void Open_WrongDatabaseKey_ClearErrorExit77AndFileUntouched()
    {
        _env.Open().Dispose();
        var before = File.ReadAllBytes(_env.DatabasePath);
        File.WriteAllText(Path.Combine(_env.CredentialsDirectory, "vault-db-key"), "not-the-key");

        var ex = Assert.Throws<VaultException>(() => _env.Open());

        Assert.That(ex!.Message, Is.EqualTo($"the database key credential does not open {_env.DatabasePath} (wrong key?); nothing was changed"));
        Assert.That(ex.ExitCode, Is.EqualTo(ExitCodes.NoPermission));
        Assert.That(File.ReadAllBytes(_env.DatabasePath), Is.EqualTo(before));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Open_WrongStorageKey_RefusedExit77(CancellationToken cancellationToken)
    {
        using (var vault = _env.Open())
        {
            await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        }

        File.WriteAllBytes(Path.Combine(_env.CredentialsDirectory, "vault-storage-key"), RandomNumberGenerator.GetBytes(32));

        var ex = Assert.Throws<VaultException>(() => _env.Open());
        Assert.That(ex!.Message, Does.StartWith("the storage key credential does not decrypt the evidence in").And.EndWith("nothing was changed"));
        Assert.That(ex.ExitCode, Is.EqualTo(ExitCodes.NoPermission));
        Assert.That(Directory.GetFileSystemEntries(_env.StateDirectory, "vault.db.corrupt-*"), Is.Empty, "a wrong key is not corruption: nothing is quarantined");
        Assert.That(File.Exists(_env.DatabasePath), Is.True);
    }

    [Test]
    public void Open_DatabaseMissingButAuditShowsHistory_RefusedExit66()
    {
        _env.Open().Dispose();
        File.Delete(_env.DatabasePath);

        var ex = Assert.Throws<VaultException>(() => _env.Open());

        Assert.That(ex!.Message, Is.EqualTo($"vault database {_env.DatabasePath} is missing, but this unit has kept evidence before (audit log, epoch keys or a quarantined vault); refusing to start with an empty vault. Restore the file, or create {_env.DatabasePath}.start-fresh to start afresh on purpose"));
        Assert.That(ex.ExitCode, Is.EqualTo(ExitCodes.NoInput));
        Assert.That(File.Exists(_env.DatabasePath), Is.False, "no empty vault was created in its place");
    }

    [Test]
    public void Open_VerbOnMissingDatabase_RefusedWithoutCreating()
    {
        var ex = Assert.Throws<VaultException>(() => _env.Open(_env.Settings(createIfMissing: false)));

        Assert.That(ex!.Message, Is.EqualTo($"no vault database at {_env.DatabasePath}"));
        Assert.That(File.Exists(_env.DatabasePath), Is.False);
    }

    [Test]
    public void Open_SecondOpenerWhileOpen_InUseExit75()
    {
        using var vault = _env.Open();

        var ex = Assert.Throws<VaultException>(() => _env.Open());

        Assert.That(ex!.Kind, Is.EqualTo(VaultErrorKind.InUse));
        Assert.That(ex.ExitCode, Is.EqualTo(ExitCodes.TempFail));
        Assert.That(ex.Message, Does.StartWith($"vault database {_env.DatabasePath} is in use by another process"));
    }

    [Test]
    public void Load_MissingCredential_ClearErrorExit78WithoutSecret()
    {
        var secret = File.ReadAllText(Path.Combine(_env.CredentialsDirectory, "vault-db-key"));
        File.Delete(Path.Combine(_env.CredentialsDirectory, "vault-storage-key"));
        var options = new Sensen.Edge.Configuration.EdgeOptions
        {
            Device = new Sensen.Edge.Configuration.DeviceOptions { Id = "unit-1", StateDirectory = _env.StateDirectory, CredentialsDirectory = _env.CredentialsDirectory },
            Vault = new VaultOptions { CityPublicKey = _env.CityPublicKeyPath },
        };

        var ex = Assert.Throws<VaultException>(() => VaultSettings.Load(options, _env.Root, createIfMissing: true));

        Assert.That(ex!.Message, Is.EqualTo($"vault storage key: credential 'vault-storage-key' not found in {_env.CredentialsDirectory}"));
        Assert.That(ex.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(ex.Message, Does.Not.Contain(secret.Trim()));
    }

    [Test]
    public void Open_FileNamedLikeLiteDbBackup_LeftUntouched()
    {
        // An operator's copy may well be called vault-backup.db; the vault never calls Rebuild, so it never made one.
        var backup = Path.Combine(_env.StateDirectory, "vault-backup.db");
        File.WriteAllText(backup, "operator backup");

        using var vault = _env.Open();

        Assert.That(File.ReadAllText(backup), Is.EqualTo("operator backup"));
    }

    [Test]
    public async Task Open_AuditLogWithTornLastLine_KeepsTheFragmentEndsItAndSaysSo(CancellationToken cancellationToken)
    {
        using (var vault = _env.Open())
        {
            await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        }

        // What a kill between the pages of one write(2), or a power cut, leaves: the start of a line, no newline.
        const string fragment = "{\"time\":\"2026-12-02T06:48:15Z\",\"event\":\"transition\",\"evidence_id\":\"01a2";
        File.AppendAllText(_env.AuditLogPath, fragment);
        var before = File.ReadAllText(_env.AuditLogPath);

        using (var reopened = _env.Open())
        {
            await reopened.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        }

        var after = File.ReadAllText(_env.AuditLogPath);
        Assert.That(after, Does.StartWith(before + "\n"), "the fragment is kept byte for byte and ended");
        var lines = after.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var torn = Array.IndexOf(lines, fragment);
        Assert.That(lines[torn + 1], Does.Contain("\"audit_torn_line\"").And.Contain($"bytes={fragment.Length}"));
        Assert.That(lines.Where((_, i) => i != torn).Count(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString() == "transition"), Is.EqualTo(2), "the lines before and after the fragment all parse");

        using var third = _env.Open();
        Assert.That(File.ReadAllText(_env.AuditLogPath).Split('\n').Count(l => l.Contains("audit_torn_line", StringComparison.Ordinal)), Is.EqualTo(1), "a clean end is not reported again");
    }

    private List<JsonElement> AuditLines() =>
        File.ReadAllLines(_env.AuditLogPath).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
