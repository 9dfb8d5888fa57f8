using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Vault;

/// <summary>
/// The sealed evidence queue (docs/VAULT.md). One LiteDB file, encrypted with LiteDB's own password as a
/// second layer; every stored byte additionally encrypted under a rotating storage key; every change
/// committed, fsynced and checkpointed before a method returns; every state transition in the audit log.
/// Thread-safe: one operation at a time.
/// </summary>
internal sealed class EvidenceVault : IDisposable
{
    private const string EvidenceCollection = "evidence";
    private const string ManifestCollection = "manifests";
    private const string ChunkCollection = "chunks";

    /// <summary>LiteDB's page; an encrypted log keeps one header page (its salt) when empty.</summary>
    private const int LitePageBytes = 8192;

    /// <summary>Room for LiteDB's index and header pages, the audit line and a new epoch key beyond the clip's own bytes.</summary>
    private const long FreeSpaceMargin = 256 * 1024;

    private readonly VaultSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EvidenceSealer _sealer;
    private readonly StorageKeyRing _keys;
    private readonly AuditLog _audit;
    private readonly Lock _gate = new();
    private readonly Meter _meter = new("Sensen.Edge.Vault");
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _acksRefused;

    /// <summary>Refused acks already logged and audited, so a city that repeats one does not flood either.</summary>
    private readonly HashSet<(string Id, string Reason)> _refusedAckLogged = [];
    private DurableFileStream? _data;
    private DurableFileStream? _log;
    private LiteDatabase? _db;
    private long _usedBytes;
    private long _nextSequence = 1;

    private EvidenceVault(VaultSettings settings, TimeProvider time, ILogger logger, StorageKeyRing keys, AuditLog audit)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        _keys = keys;
        _audit = audit;
        _sealer = new EvidenceSealer(settings.CityPublicKey, settings.DeviceKey, settings.DeviceId);
        _rejected = _meter.CreateCounter<long>("sensen.vault.rejected", description: "Evidence refused because the vault or the disk was full (an alarm)");
        _deleted = _meter.CreateCounter<long>("sensen.vault.deleted", description: "Evidence deleted, by reason");
        _acksRefused = _meter.CreateCounter<long>("sensen.vault.acks_refused", description: "Acknowledgements refused, by reason; none of them deleted anything");
        _meter.CreateObservableGauge("sensen.vault.bytes", () => Interlocked.Read(ref _usedBytes), description: "Sealed bytes held");
    }

    public string DatabasePath => _settings.DatabasePath;

    /// <summary>This vault's meter (tests listen to exactly this instance).</summary>
    internal Meter Meter => _meter;

    /// <summary>fsyncs issued on the database file and on its log since opening (the durability path, pinned by tests).</summary>
    public (long Data, long Log) SyncCounts => (_data?.SyncCount ?? 0, _log?.SyncCount ?? 0);

    /// <summary>Opens (or, when safe, creates) the vault. Throws <see cref="VaultException"/> with an operator-facing message.</summary>
    public static EvidenceVault Open(VaultSettings settings, TimeProvider time, ILogger logger)
    {
        var directory = Path.GetDirectoryName(settings.DatabasePath)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VaultException(VaultErrorKind.Io, $"cannot create the vault directory {directory}: {e.Message}", e);
        }

        RemoveRebuildLeftovers(settings.DatabasePath, logger);
        var exists = File.Exists(settings.DatabasePath) && new FileInfo(settings.DatabasePath).Length > 0;
        if (!exists)
        {
            if (!settings.CreateIfMissing)
            {
                throw new VaultException(VaultErrorKind.Missing, $"no vault database at {settings.DatabasePath}");
            }

            if (AuditShowsHistory(settings))
            {
                throw new VaultException(VaultErrorKind.Missing,
                    $"vault database {settings.DatabasePath} is missing, but the audit log {settings.AuditLogPath} shows evidence was stored; " +
                    "refusing to start with an empty vault. Restore the file, or move the audit log aside to start afresh deliberately");
            }
        }

        StorageKeyRing? keys = null;
        AuditLog? audit = null;
        try
        {
            keys = new StorageKeyRing(settings.KeysDirectory, settings.StorageRoot, settings.KeyEpochDays);
            audit = new AuditLog(settings.AuditLogPath);
            var vault = new EvidenceVault(settings, time, logger, keys, audit);
            try
            {
                vault.OpenDatabase(create: !exists);
                vault.VerifyReadable();
                if (!exists)
                {
                    vault.Audit("vault_created");
                }

                vault.SweepEpochs();
                var records = vault.List();
                logger.Opened(settings.DatabasePath, records.Count, records.Sum(r => r.SealedBytes));
                return vault;
            }
            catch
            {
                vault.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            keys?.Dispose();
            audit?.Dispose();
            throw new VaultException(VaultErrorKind.Io, $"cannot open the vault in {directory}: {e.Message}", e);
        }
        catch
        {
            keys?.Dispose();
            audit?.Dispose();
            throw;
        }
    }

    /// <summary>Seals a clip and stores it durably. Throws <see cref="VaultException"/> (Full) when the budget or the disk is full; nothing is stored then.</summary>
    public async Task<EvidenceRecord> SealAsync(EvidenceMetadata metadata, Stream clip, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var evidence = await _sealer.SealAsync(id, metadata, now, clip, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Guarded("seal", () => Store(evidence, now));
        }
    }

    /// <summary>The oldest item waiting to be sent, or null.</summary>
    public EvidenceRecord? NextToSend()
    {
        lock (_gate)
        {
            return Guarded("read", () => InOrder(Evidence().Find(Query.EQ("state", EvidenceTransitions.Name(EvidenceState.Sealed))))
                .Select(ToRecord)
                .FirstOrDefault());
        }
    }

    public EvidenceRecord MarkSending(string evidenceId) => Move(evidenceId, EvidenceState.Sending, "send_started");

    public EvidenceRecord MarkAwaitingAck(string evidenceId) => Move(evidenceId, EvidenceState.AwaitingAck, "all_chunks_sent");

    /// <summary>Back to the queue: the connection dropped mid-send or no ack came in time.</summary>
    public EvidenceRecord Requeue(string evidenceId, string reason) => Move(evidenceId, EvidenceState.Sealed, reason);

    /// <summary>
    /// The only deletion path for delivered evidence: deletes an item only for a <see cref="AckType.Received"/> ack
    /// that <see cref="AckVerifier"/> checked, only while the item is <c>sending</c> or <c>awaiting_ack</c>, and only
    /// when the ack names the item's own sealed SHA-256. Every refusal is counted, audited and logged once per item.
    /// </summary>
    public AckResult Acknowledge(VerifiedAck ack)
    {
        lock (_gate)
        {
            return Guarded("ack", () =>
            {
                var doc = Evidence().FindById(ack.EvidenceId);
                if (doc is null)
                {
                    return AckResult.Unknown;
                }

                if (ack.Type != AckType.Received)
                {
                    return RefuseAck(ack, doc, AckResult.NotAReceipt, "not_a_receipt");
                }

                if (EvidenceTransitions.Parse(doc["state"].AsString) is not (EvidenceState.AwaitingAck or EvidenceState.Sending))
                {
                    return RefuseAck(ack, doc, AckResult.NotAwaitingAck, "not_awaiting_ack");
                }

                if (!string.Equals(doc["sealed_sha256"].AsString, ack.SealedSha256, StringComparison.Ordinal))
                {
                    return RefuseAck(ack, doc, AckResult.HashMismatch, "hash_mismatch");
                }

                Delete(doc, "acknowledged");
                _refusedAckLogged.RemoveWhere(k => k.Id == ack.EvidenceId);
                return AckResult.Deleted;
            });
        }
    }

    /// <summary>Expires and deletes every item past retention that is not on legal hold. Returns how many were deleted.</summary>
    public int PurgeExpired()
    {
        lock (_gate)
        {
            var count = Guarded("purge", () =>
            {
                var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
                var due = Evidence().FindAll().Where(d => !d["hold"].AsBoolean && d["expires_ms"].AsInt64 <= now).ToList();
                foreach (var doc in due)
                {
                    if (EvidenceTransitions.Parse(doc["state"].AsString) != EvidenceState.Expired)
                    {
                        Transition(doc, EvidenceState.Expired, "retention_passed");
                    }

                    Delete(doc, "retention_passed");
                }

                return due.Count;
            });
            if (count > 0)
            {
                _logger.Purged(count);
            }

            return count;
        }
    }

    /// <summary>Legal hold: the item survives retention and eviction until released. The reason is stored encrypted; the audit log gets only its hash.</summary>
    public EvidenceRecord Hold(string evidenceId, string reason)
    {
        lock (_gate)
        {
            return Guarded("hold", () =>
            {
                var doc = Get(evidenceId);
                var epoch = doc["epoch"].AsInt64;
                doc["hold"] = true;
                doc["hold_reason"] = _keys.Protect(epoch, Aad(evidenceId, "hold"), Encoding.UTF8.GetBytes(reason));
                doc["updated_ms"] = _time.GetUtcNow().ToUnixTimeMilliseconds();
                Commit(db => db.GetCollection(EvidenceCollection).Update(doc));
                Audit("legal_hold", evidenceId, reason: "operator", detail: "reason_sha256=" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reason))));
                return ToRecord(doc);
            });
        }
    }

    public EvidenceRecord Release(string evidenceId)
    {
        lock (_gate)
        {
            return Guarded("release", () =>
            {
                var doc = Get(evidenceId);
                doc["hold"] = false;
                doc.Remove("hold_reason");
                doc["updated_ms"] = _time.GetUtcNow().ToUnixTimeMilliseconds();
                Commit(db => db.GetCollection(EvidenceCollection).Update(doc));
                Audit("legal_hold_released", evidenceId, reason: "operator");
                return ToRecord(doc);
            });
        }
    }

    public IReadOnlyList<EvidenceRecord> List()
    {
        lock (_gate)
        {
            return Guarded("read", () => InOrder(Evidence().FindAll()).Select(ToRecord).ToList());
        }
    }

    public EvidenceRecord? Find(string evidenceId)
    {
        lock (_gate)
        {
            return Guarded("read", () => Evidence().FindById(evidenceId) is { } doc ? ToRecord(doc) : null);
        }
    }

    /// <summary>The hold reason, decrypted (for <c>queue show</c>).</summary>
    public string? HoldReason(string evidenceId)
    {
        lock (_gate)
        {
            return Guarded("read", () =>
            {
                var doc = Get(evidenceId);
                return doc["hold_reason"].IsBinary
                    ? Encoding.UTF8.GetString(_keys.Unprotect(doc["epoch"].AsInt64, Aad(evidenceId, "hold"), doc["hold_reason"].AsBinary))
                    : null;
            });
        }
    }

    /// <summary>The signed manifest exactly as sealed: the canonical bytes and the device signature.</summary>
    public (byte[] Json, byte[] Signature) ReadManifest(string evidenceId)
    {
        lock (_gate)
        {
            return Guarded("read", () =>
            {
                var doc = Get(evidenceId);
                var stored = Db.GetCollection(ManifestCollection).FindById(evidenceId)
                    ?? throw new VaultException(VaultErrorKind.Corrupt, $"evidence {evidenceId} has no manifest");
                var json = _keys.Unprotect(doc["epoch"].AsInt64, Aad(evidenceId, "manifest"), stored["json"].AsBinary);
                var signature = _keys.Unprotect(doc["epoch"].AsInt64, Aad(evidenceId, "signature"), stored["sig"].AsBinary);
                return (json, signature);
            });
        }
    }

    /// <summary>One sealed chunk, as the uplink sends it (the storage layer removed, the city's sealing intact).</summary>
    public byte[] ReadSealedChunk(string evidenceId, int index)
    {
        lock (_gate)
        {
            return Guarded("read", () =>
            {
                var doc = Get(evidenceId);
                var stored = Db.GetCollection(ChunkCollection).FindById(ChunkId(evidenceId, index))
                    ?? throw new VaultException(VaultErrorKind.NotFound, $"evidence {evidenceId} has no chunk {index}");
                return _keys.Unprotect(doc["epoch"].AsInt64, Aad(evidenceId, "chunk", index), stored["data"].AsBinary);
            });
        }
    }

    /// <summary>The whole sealed blob, chunk after chunk.</summary>
    public void CopySealedTo(string evidenceId, Stream destination)
    {
        var record = Find(evidenceId) ?? throw new VaultException(VaultErrorKind.NotFound, $"no evidence {evidenceId}");
        for (var i = 0; i < record.ChunkCount; i++)
        {
            destination.Write(ReadSealedChunk(evidenceId, i));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            CloseDatabase();
            _keys.Dispose();
            _audit.Dispose();
            _meter.Dispose();
        }
    }

    private EvidenceRecord Store(SealedEvidence evidence, DateTimeOffset now)
    {
        var id = evidence.Manifest.EvidenceId;
        var size = evidence.Manifest.Clip.SealedBytes;
        MakeRoom(size);
        EnsureFreeSpace(size);
        var epoch = _keys.EpochOf(now);
        _keys.Ensure(epoch);
        var nowMs = now.ToUnixTimeMilliseconds();
        var doc = new BsonDocument
        {
            ["_id"] = id,
            ["state"] = EvidenceTransitions.Name(EvidenceState.Sealed),
            ["created_ms"] = nowMs,
            ["updated_ms"] = nowMs,
            ["expires_ms"] = now.AddDays(_settings.RetentionDays).ToUnixTimeMilliseconds(),
            ["sealed_bytes"] = size,
            ["sealed_sha256"] = evidence.Manifest.Clip.SealedSha256,
            ["chunks"] = evidence.Chunks.Count,
            ["epoch"] = epoch,
            ["hold"] = false,
            ["seq"] = _nextSequence,
        };
        var manifest = new BsonDocument
        {
            ["_id"] = id,
            ["json"] = _keys.Protect(epoch, Aad(id, "manifest"), evidence.ManifestJson.Span),
            ["sig"] = _keys.Protect(epoch, Aad(id, "signature"), evidence.Signature.Span),
        };
        Commit(db =>
        {
            var chunks = db.GetCollection(ChunkCollection);
            for (var i = 0; i < evidence.Chunks.Count; i++)
            {
                chunks.Insert(new BsonDocument
                {
                    ["_id"] = ChunkId(id, i),
                    ["ev"] = id,
                    ["data"] = _keys.Protect(epoch, Aad(id, "chunk", i), evidence.Chunks[i]),
                });
            }

            db.GetCollection(ManifestCollection).Insert(manifest);
            db.GetCollection(EvidenceCollection).Insert(doc);
        });
        _nextSequence++;
        Interlocked.Add(ref _usedBytes, size);
        Audit("transition", id, to: EvidenceState.Sealed, reason: "sealed", sealedSha256: evidence.Manifest.Clip.SealedSha256, epoch: epoch);
        _logger.Sealed(id, size, evidence.Chunks.Count);
        return ToRecord(doc);
    }

    private void MakeRoom(long size)
    {
        var used = UsedBytes();
        if (used + size <= _settings.QuotaBytes)
        {
            return;
        }

        if (_settings.QuotaPolicy == QuotaPolicy.EvictOldest)
        {
            var candidates = InOrder(Evidence().FindAll().Where(d => !d["hold"].AsBoolean)).ToList();
            foreach (var doc in candidates)
            {
                if (used + size <= _settings.QuotaBytes)
                {
                    break;
                }

                used -= doc["sealed_bytes"].AsInt64;
                _logger.Evicted(doc["_id"].AsString);
                Delete(doc, "quota_evicted");
            }

            if (used + size <= _settings.QuotaBytes)
            {
                return;
            }
        }

        Reject("quota", used);
        throw new VaultException(VaultErrorKind.Full,
            $"vault quota of {_settings.QuotaBytes} bytes is full ({used} used, {size} needed, policy {(_settings.QuotaPolicy == QuotaPolicy.RejectNew ? "reject_new" : "evict_oldest; the rest is on legal hold")}); the new evidence was not stored");
    }

    /// <summary>
    /// A seal writes its pages twice (LiteDB log, then the checkpoint into the data file). Refusing up front when
    /// the file system cannot take that keeps the common disk-full case clean; the OS error path covers the rest.
    /// </summary>
    private void EnsureFreeSpace(long size)
    {
        if (!_settings.CheckFreeSpace)
        {
            return;
        }

        var directory = Path.GetDirectoryName(_settings.DatabasePath)!;
        var free = new DriveInfo(directory).AvailableFreeSpace;
        var needed = (2 * size) + FreeSpaceMargin;
        if (free < needed)
        {
            Reject("disk_full", UsedBytes());
            throw new VaultException(VaultErrorKind.Full, $"the disk under {directory} is full ({free} bytes free, about {needed} needed); the seal was not stored");
        }
    }

    private AckResult RefuseAck(VerifiedAck ack, BsonDocument doc, AckResult result, string reason)
    {
        _acksRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
        if (_refusedAckLogged.Count >= 4096)
        {
            _refusedAckLogged.Clear();
        }

        if (_refusedAckLogged.Add((ack.EvidenceId, reason)))
        {
            _logger.AckNotApplied(ack.EvidenceId, reason);
            Audit("ack_refused", ack.EvidenceId, reason: reason, sealedSha256: doc["sealed_sha256"].AsString);
        }

        return result;
    }

    private void Reject(string reason, long used)
    {
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _logger.Rejected(reason, used, _settings.QuotaBytes);
        Audit("evidence_rejected", reason: reason);
    }

    private EvidenceRecord Move(string evidenceId, EvidenceState to, string reason)
    {
        lock (_gate)
        {
            return Guarded("transition", () =>
            {
                var doc = Get(evidenceId);
                Transition(doc, to, reason);
                return ToRecord(doc);
            });
        }
    }

    private void Transition(BsonDocument doc, EvidenceState to, string reason)
    {
        var id = doc["_id"].AsString;
        var from = EvidenceTransitions.Parse(doc["state"].AsString);
        if (!EvidenceTransitions.IsAllowed(from, to))
        {
            throw new VaultException(VaultErrorKind.IllegalTransition,
                $"evidence {id} is {EvidenceTransitions.Name(from)}; it cannot become {EvidenceTransitions.Name(to)}");
        }

        doc["state"] = EvidenceTransitions.Name(to);
        doc["updated_ms"] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Commit(db => db.GetCollection(EvidenceCollection).Update(doc));
        Audit("transition", id, from, to, reason, doc["sealed_sha256"].AsString);
    }

    /// <summary>Deletes an item's chunks, manifest and record in one transaction, then shreds its epoch if that was the epoch's last record.</summary>
    private void Delete(BsonDocument doc, string reason)
    {
        var id = doc["_id"].AsString;
        var from = EvidenceTransitions.Parse(doc["state"].AsString);
        if (!EvidenceTransitions.IsAllowed(from, EvidenceState.Deleted))
        {
            throw new VaultException(VaultErrorKind.IllegalTransition, $"evidence {id} is {EvidenceTransitions.Name(from)}; it cannot be deleted");
        }

        Commit(db =>
        {
            db.GetCollection(ChunkCollection).DeleteMany(Query.EQ("ev", id));
            db.GetCollection(ManifestCollection).Delete(id);
            db.GetCollection(EvidenceCollection).Delete(id);
        });
        Interlocked.Add(ref _usedBytes, -doc["sealed_bytes"].AsInt64);
        _deleted.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Audit("transition", id, from, EvidenceState.Deleted, reason, doc["sealed_sha256"].AsString);
        var epoch = doc["epoch"].AsInt64;
        if (Evidence().Count(Query.EQ("epoch", epoch)) == 0)
        {
            _keys.Destroy(epoch);
            Audit("epoch_destroyed", epoch: epoch);
            _logger.EpochDestroyed(epoch);
        }
    }

    /// <summary>One LiteDB transaction, then the durability step LiteDB leaves out: fsync the log, checkpoint (which fsyncs the data file through <see cref="DurableFileStream.Flush"/>).</summary>
    private void Commit(Action<LiteDatabase> work)
    {
        var db = Db;
        db.BeginTrans();
        try
        {
            work(db);
            db.Commit();
        }
        catch
        {
            TryRollback(db);
            throw;
        }

        // Durable from here: the committed pages are on disk in the log, which the next open replays.
        _log!.Flush();
        try
        {
            db.Checkpoint();
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // The data file could not grow (disk full). The change is safe in the log; LiteDB closed its engine,
            // so the next operation reopens and the checkpoint is retried then. Not a failure of this commit.
            _logger.StorageFailure(e, "checkpoint");
            CloseDatabase();
        }
    }

    private static void TryRollback(LiteDatabase db)
    {
        try
        {
            db.Rollback();
        }
        catch (Exception e) when (e is LiteException or IOException or ObjectDisposedException)
        {
            // The engine closed itself after an I/O error (LiteDB EngineState.Handle): Guarded reopens it.
        }
    }

    /// <summary>Runs a store operation; an I/O failure (disk full included) reopens the database from its last durable state and surfaces as a <see cref="VaultException"/>, never a crash.</summary>
    private T Guarded<T>(string operation, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            _logger.StorageFailure(e, operation);
            var full = IsDiskFull(e);
            try
            {
                Reopen();
            }
            catch (VaultException reopen)
            {
                throw new VaultException(VaultErrorKind.Io, $"vault {operation} failed ({e.Message}) and the database cannot be reopened: {reopen.Message}", e);
            }

            if (full)
            {
                Reject("disk_full", UsedBytes());
                throw new VaultException(VaultErrorKind.Full, $"the disk under {Path.GetDirectoryName(_settings.DatabasePath)} is full; the {operation} was not stored", e);
            }

            throw new VaultException(VaultErrorKind.Io, $"vault {operation} failed: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            throw new VaultException(VaultErrorKind.WrongKey, $"stored evidence cannot be decrypted: {e.Message} (wrong storage-key credential, a destroyed epoch key, or the stored bytes were altered)", e);
        }
    }

    private static bool IsStorageFailure(Exception e) =>
        e is not VaultException
        && (e is IOException || (e is LiteException { ErrorCode: LiteException.ENGINE_DISPOSED or LiteException.INVALID_DATAFILE_STATE }) || e.InnerException is IOException);

    private static bool IsDiskFull(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            // ENOSPC (28) and EDQUOT (122); .NET puts the errno text in the message on Unix.
            if (x is IOException && (x.HResult is 28 or 122 || x.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || x.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private void Reopen()
    {
        CloseDatabase();
        OpenDatabase(create: false);
    }

    private void OpenDatabase(bool create, bool discardedLog = false, bool skipCheckpoint = false)
    {
        if (create && File.Exists(_settings.LogPath) && new FileInfo(_settings.LogPath).Length > 0)
        {
            // A log without its data file cannot be applied; keep it for forensics, out of the way.
            MoveAside(_settings.LogPath);
        }

        try
        {
            _data = new DurableFileStream(_settings.DatabasePath, create);
            _log = new DurableFileStream(_settings.LogPath, create: true);
        }
        catch (IOException e) when (!IsDiskFull(e) && File.Exists(_settings.DatabasePath))
        {
            CloseDatabase();
            throw new VaultException(VaultErrorKind.InUse, $"vault database {_settings.DatabasePath} is in use by another process (is the daemon running? stop it first): {e.Message}", e);
        }

        try
        {
            var engine = new LiteEngine(new EngineSettings { DataStream = _data, LogStream = _log, Password = _settings.DatabasePassword });
            _db = new LiteDatabase(engine, disposeOnClose: true);

            // Apply what a crash left committed in the log. What is left after that was never committed (a
            // transaction cut by a kill or a full disk): LiteDB would keep it and append after it, so on a full
            // disk even a delete could not be written. Drop it.
            if (!skipCheckpoint)
            {
                try
                {
                    _db.Checkpoint();
                }
                catch (Exception e) when (IsDiskFull(e))
                {
                    // The data file cannot grow: keep serving from the log (LiteDB reads through it) until space returns.
                    _logger.StorageFailure(e, "open checkpoint");
                    CloseDatabase();
                    OpenDatabase(create, discardedLog, skipCheckpoint: true);
                    return;
                }
            }

            if (!skipCheckpoint && _log.Length > LitePageBytes && !discardedLog)
            {
                CloseDatabase();
                using (var log = new FileStream(_settings.LogPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    log.SetLength(0);
                    log.Flush(flushToDisk: true);
                }

                OpenDatabase(create, discardedLog: true);
                return;
            }

            if (create)
            {
                Commit(db =>
                {
                    db.GetCollection(EvidenceCollection).EnsureIndex("state");
                    db.GetCollection(EvidenceCollection).EnsureIndex("epoch");
                    db.GetCollection(ChunkCollection).EnsureIndex("ev");
                });
                DirectorySync.Sync(Path.GetDirectoryName(_settings.DatabasePath)!);
            }
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INVALID_PASSWORD)
        {
            CloseDatabase();
            throw new VaultException(VaultErrorKind.WrongKey, $"the database key credential does not open {_settings.DatabasePath} (wrong key?); nothing was changed", e);
        }
        catch (IOException e)
        {
            CloseDatabase();
            throw new VaultException(IsDiskFull(e) ? VaultErrorKind.Full : VaultErrorKind.Io, $"cannot open {_settings.DatabasePath}: {e.Message}", e);
        }
        catch (Exception e) when (e is not (VaultException or OutOfMemoryException))
        {
            CloseDatabase();
            throw Corrupt(e);
        }
    }

    /// <summary>Reads every record and one manifest per epoch: a damaged file or the wrong storage key shows now, not at send time.</summary>
    private void VerifyReadable()
    {
        List<BsonDocument> docs;
        try
        {
            docs = Evidence().FindAll().ToList();
            _ = _db!.GetCollection(ChunkCollection).Count();
            _ = _db.GetCollection(ManifestCollection).Count();
            _usedBytes = docs.Sum(d => d["sealed_bytes"].AsInt64);
            _nextSequence = docs.Count == 0 ? 1 : docs.Max(d => d["seq"].AsInt64) + 1;
            foreach (var doc in docs)
            {
                _ = ToRecord(doc);
            }
        }
        catch (Exception e) when (e is not (VaultException or OutOfMemoryException or IOException))
        {
            CloseDatabase();
            throw Corrupt(e);
        }

        foreach (var doc in docs.GroupBy(d => d["epoch"].AsInt64).Select(g => g.First()))
        {
            var id = doc["_id"].AsString;
            var stored = _db.GetCollection(ManifestCollection).FindById(id);
            try
            {
                _keys.Unprotect(doc["epoch"].AsInt64, Aad(id, "manifest"), stored["json"].AsBinary);
            }
            catch (CryptographicException e)
            {
                CloseDatabase();
                throw new VaultException(VaultErrorKind.WrongKey, $"the storage key credential does not decrypt the evidence in {_settings.DatabasePath} (wrong key, or epoch {doc["epoch"].AsInt64} key file missing from {_settings.KeysDirectory}); nothing was changed", e);
            }
        }
    }

    private VaultException Corrupt(Exception e)
    {
        var movedTo = MoveAside(_settings.DatabasePath);
        if (File.Exists(_settings.LogPath))
        {
            MoveAside(_settings.LogPath);
        }

        _logger.MovedAside(_settings.DatabasePath, movedTo);
        Audit("vault_moved_aside", reason: "corrupt", detail: Path.GetFileName(movedTo));
        return new VaultException(VaultErrorKind.Corrupt,
            $"vault database {_settings.DatabasePath} is corrupt ({e.GetType().Name}: {e.Message}); it was moved aside to {movedTo} (nothing deleted). The next start creates a new, empty vault", e);
    }

    private string MoveAside(string path)
    {
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = $"{path}.corrupt-{stamp}";
        for (var n = 1; File.Exists(target); n++)
        {
            target = $"{path}.corrupt-{stamp}-{n}";
        }

        File.Move(path, target);
        DirectorySync.Sync(Path.GetDirectoryName(path)!);
        return target;
    }

    /// <summary>Epoch secrets with no record left (a crash between a delete and its shred, or a seal that never committed) are destroyed.</summary>
    private void SweepEpochs()
    {
        var used = Evidence().FindAll().Select(d => d["epoch"].AsInt64).ToHashSet();
        foreach (var epoch in _keys.Epochs().Where(e => !used.Contains(e)))
        {
            _keys.Destroy(epoch);
            Audit("epoch_destroyed", epoch: epoch);
            _logger.EpochDestroyed(epoch);
        }
    }

    private void CloseDatabase()
    {
        try
        {
            _db?.Dispose();
        }
        catch (Exception e) when (e is LiteException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing after a storage failure: the file keeps its last durable state, which the next open recovers.
        }

        _db = null;
        _data?.Dispose();
        _log?.Dispose();
        _data = null;
        _log = null;
    }

    private static void RemoveRebuildLeftovers(string databasePath, ILogger logger)
    {
        // LiteDB's Rebuild (which the vault never calls; it needs a file name) leaves "<name>-backup.db" with the
        // pre-rebuild pages. Old pages are what crypto-shredding is about, so they do not stay.
        var directory = Path.GetDirectoryName(databasePath)!;
        var stem = Path.GetFileNameWithoutExtension(databasePath);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateFiles(directory, stem + "*-backup*"))
        {
            File.Delete(leftover);
            logger.RemovedLeftover(leftover);
        }
    }

    private static bool AuditShowsHistory(VaultSettings settings)
    {
        if (!File.Exists(settings.AuditLogPath) || new FileInfo(settings.AuditLogPath).Length == 0)
        {
            return false;
        }

        // A database moved aside as corrupt is kept beside it; starting afresh is then the documented, safe path.
        var directory = Path.GetDirectoryName(settings.DatabasePath)!;
        return !Directory.EnumerateFiles(directory, Path.GetFileName(settings.DatabasePath) + ".corrupt-*").Any();
    }

    /// <summary>The open database, reopened first if a storage failure closed it.</summary>
    private LiteDatabase Db
    {
        get
        {
            if (_db is null)
            {
                Reopen();
            }

            return _db!;
        }
    }

    private ILiteCollection<BsonDocument> Evidence() => Db.GetCollection(EvidenceCollection);

    private BsonDocument Get(string evidenceId) =>
        Evidence().FindById(evidenceId) ?? throw new VaultException(VaultErrorKind.NotFound, $"no evidence {evidenceId} in the vault");

    private long UsedBytes() => Evidence().FindAll().Sum(d => d["sealed_bytes"].AsInt64);

    private void Audit(string @event, string? evidenceId = null, EvidenceState? from = null, EvidenceState? to = null, string? reason = null, string? sealedSha256 = null, long? epoch = null, string? detail = null)
    {
        try
        {
            _audit.Append(new AuditEntry
            {
                Time = SealingFormat.Timestamp(_time.GetUtcNow()),
                Event = @event,
                EvidenceId = evidenceId,
                From = from is { } f ? EvidenceTransitions.Name(f) : null,
                To = to is { } t ? EvidenceTransitions.Name(t) : null,
                Reason = reason,
                SealedSha256 = sealedSha256,
                Epoch = epoch,
                Detail = detail,
            });
        }
        catch (IOException e)
        {
            // A full disk must not turn a committed change into a crash; the alarm is in the log and metrics.
            _logger.AuditFailed(e);
        }
    }

    /// <summary>Oldest first: by sealing time, then by the order of sealing (several clips can share a millisecond).</summary>
    private static IEnumerable<BsonDocument> InOrder(IEnumerable<BsonDocument> docs) =>
        docs.OrderBy(d => d["created_ms"].AsInt64).ThenBy(d => d["seq"].AsInt64);

    private static string ChunkId(string evidenceId, int index) => evidenceId + "/" + index.ToString("D6", CultureInfo.InvariantCulture);

    private static byte[] Aad(string evidenceId, string kind, int index = 0) =>
        Encoding.ASCII.GetBytes($"sensen-vault/1|{evidenceId}|{kind}|{index.ToString(CultureInfo.InvariantCulture)}");

    private static EvidenceRecord ToRecord(BsonDocument doc) => new()
    {
        Id = doc["_id"].AsString,
        State = EvidenceTransitions.Parse(doc["state"].AsString),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["created_ms"].AsInt64),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["updated_ms"].AsInt64),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["expires_ms"].AsInt64),
        SealedBytes = doc["sealed_bytes"].AsInt64,
        SealedSha256 = doc["sealed_sha256"].AsString,
        ChunkCount = doc["chunks"].AsInt32,
        Epoch = doc["epoch"].AsInt64,
        LegalHold = doc["hold"].AsBoolean,
    };
}
