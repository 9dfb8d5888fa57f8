using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Vault;

/// <summary>
/// The sealed evidence queue's front end (docs/VAULT.md): sealing, the state machine, acks, retention and legal
/// hold, over <see cref="VaultDatabase"/> (commit and recovery), <see cref="EvidenceRecordMapper"/> (records and
/// their MACs), <see cref="VaultQuota"/> and <see cref="VaultRecovery"/> (quarantine and salvage). Every stored
/// byte is encrypted under a rotating storage key; every change is durable before a method returns and is in
/// the audit log. Thread-safe: one operation at a time.
/// </summary>
internal sealed class EvidenceVault : IDisposable
{
    /// <summary>Room for LiteDB's index and header pages, the audit line and a new epoch key beyond the clip's own bytes.</summary>
    private const long FreeSpaceMargin = 256 * 1024;

    private const string ClockId = "clock";

    private long _sendPolls;
    private readonly VaultSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EvidenceSealer _sealer;
    private readonly StorageKeyRing _keys;
    private readonly AuditLog _audit;
    private readonly VaultDatabase _database;
    private readonly EvidenceRecordMapper _mapper;
    private readonly VaultQuota _quota;
    private readonly RetentionClock _clock;
    private readonly Lock _gate = new();
    private readonly Meter _meter = new("Sensen.Edge.Vault");
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _acksRefused;
    private readonly Counter<long> _retentionDeferred;

    /// <summary>Refused acks already logged and audited, so a city that repeats one does not flood either.</summary>
    private readonly HashSet<(string Id, string Reason)> _refusedAckLogged = [];
    private long _usedBytes;
    private long _nextSequence = 1;
    private bool _opened;

    private EvidenceVault(VaultSettings settings, TimeProvider time, ILogger logger, StorageKeyRing keys, AuditLog audit)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        _keys = keys;
        _audit = audit;
        _database = new VaultDatabase(settings.DatabasePath, settings.DatabasePassword, settings.OpenFile, logger);
        _mapper = new EvidenceRecordMapper(keys);
        _quota = new VaultQuota(settings.QuotaBytes, settings.QuotaPolicy);
        _clock = new RetentionClock(time, settings.ClockSynchronized);
        _sealer = new EvidenceSealer(settings.CityPublicKey, settings.DeviceKey, settings.DeviceId);
        _rejected = _meter.CreateCounter<long>("sensen.vault.rejected", description: "Evidence refused because the vault or the disk was full (an alarm)");
        _deleted = _meter.CreateCounter<long>("sensen.vault.deleted", description: "Evidence deleted, by reason");
        _acksRefused = _meter.CreateCounter<long>("sensen.vault.acks_refused", description: "Acknowledgements refused, by reason; none of them deleted anything");
        _retentionDeferred = _meter.CreateCounter<long>("sensen.vault.retention_deferred", description: "Items past retention kept because the clock was not trusted (an alarm), by reason");
        _meter.CreateObservableGauge("sensen.vault.bytes", () => Interlocked.Read(ref _usedBytes), description: "Sealed bytes held");
    }

    public string DatabasePath => _settings.DatabasePath;

    /// <summary>This vault's meter (tests listen to exactly this instance).</summary>
    internal Meter Meter => _meter;

    /// <summary>fsyncs issued on the database file and on its log since opening (the durability path, pinned by tests).</summary>
    public (long Data, long Log) SyncCounts => _database.SyncCounts;

    /// <summary>What the last open did to recover, if anything (null: the file opened clean).</summary>
    public SalvageReport? Salvaged { get; private set; }

    /// <summary>
    /// Opens (or, when safe, creates) the vault. A file with proven corruption is quarantined with its epoch keys
    /// and salvaged into a fresh vault (docs/VAULT.md, Recovery). Throws <see cref="VaultException"/> with an
    /// operator-facing message.
    /// </summary>
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

        var recovery = new VaultRecovery(settings, time, logger);
        SalvageReport? salvaged = null;
        var freshByMarker = false;
        if (!recovery.DatabaseExists)
        {
            if (recovery.PendingQuarantine() is { } pending)
            {
                // A salvage was cut short (crash, power cut) after the damaged file was moved aside: finish it.
                salvaged = recovery.Salvage(pending);
            }
            else if (!settings.CreateIfMissing)
            {
                throw new VaultException(VaultErrorKind.Missing, $"no vault database at {settings.DatabasePath}");
            }
            else if (recovery.HasHistory())
            {
                if (!recovery.FreshStartRequested)
                {
                    throw new VaultException(VaultErrorKind.Missing,
                        $"vault database {settings.DatabasePath} is missing, but this unit has kept evidence before (audit log, epoch keys or a quarantined vault); " +
                        $"refusing to start with an empty vault. Restore the file, or create {recovery.FreshStartMarkerPath} to start afresh on purpose");
                }

                freshByMarker = true;
            }
        }

        try
        {
            return OpenVerified(settings, time, logger, recovery, create: !recovery.DatabaseExists, salvaged, freshByMarker);
        }
        catch (VaultCorruptionDetectedException corrupt)
        {
            logger.CorruptionFound(settings.DatabasePath, corrupt.InnerException!);
            var report = recovery.Salvage(recovery.Quarantine(corrupt.InnerException!.Message));
            try
            {
                return OpenVerified(settings, time, logger, recovery, create: false, report, freshByMarker: false);
            }
            catch (VaultCorruptionDetectedException again)
            {
                throw new VaultException(VaultErrorKind.Corrupt, $"the salvaged vault {settings.DatabasePath} does not verify ({again.InnerException!.Message}); the damaged file is kept in {report.Quarantine}", again);
            }
        }
    }

    /// <summary><c>sensen-edge queue salvage</c>: quarantine the current file (with its keys) and keep every item that still verifies.</summary>
    public static SalvageReport Salvage(VaultSettings settings, TimeProvider time, ILogger logger)
    {
        var recovery = new VaultRecovery(settings, time, logger);
        var quarantine = recovery.PendingQuarantine() ?? (recovery.DatabaseExists
            ? recovery.Quarantine("operator request")
            : throw new VaultException(VaultErrorKind.Missing, $"no vault database at {settings.DatabasePath}"));
        var report = recovery.Salvage(quarantine);
        using var vault = OpenVerified(settings, time, logger, recovery, create: false, report, freshByMarker: false);
        return report;
    }

    /// <summary>Seals a clip and stores it durably. Throws <see cref="VaultException"/> (Full) when the budget or the disk is full; nothing is stored or evicted then.</summary>
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

    /// <summary>
    /// How often a sender asked for the next item. The uplink asks on every pass of its delivery loop (idle or
    /// not), so the watchdog reads this counter as the uplink's heartbeat.
    /// </summary>
    public long SendPolls => Interlocked.Read(ref _sendPolls);

    /// <summary>The oldest item waiting to be sent, or null.</summary>
    public EvidenceRecord? NextToSend()
    {
        Interlocked.Increment(ref _sendPolls);
        lock (_gate)
        {
            return Guarded("read", () => InOrder(Evidence().Find(Query.EQ("state", EvidenceTransitions.Name(EvidenceState.Sealed))))
                .Select(_mapper.ToRecord)
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

                var record = _mapper.ToRecord(doc);
                if (ack.Type != AckType.Received)
                {
                    return RefuseAck(ack, record, AckResult.NotAReceipt, "not_a_receipt");
                }

                if (record.State is not (EvidenceState.AwaitingAck or EvidenceState.Sending))
                {
                    return RefuseAck(ack, record, AckResult.NotAwaitingAck, "not_awaiting_ack");
                }

                if (!string.Equals(record.SealedSha256, ack.SealedSha256, StringComparison.Ordinal))
                {
                    return RefuseAck(ack, record, AckResult.HashMismatch, "hash_mismatch");
                }

                Delete(doc, "acknowledged");
                _refusedAckLogged.RemoveWhere(k => k.Id == ack.EvidenceId);
                return AckResult.Deleted;
            });
        }
    }

    /// <summary>
    /// Expires and deletes every item past retention that is not on legal hold, but only while the clock can be
    /// trusted (docs/VAULT.md, Retention): otherwise the items are kept and an alarm is raised. Returns how many were deleted.
    /// </summary>
    /// <param name="progress">Called after each item is deleted (the vault service's watchdog heartbeat: a long purge is not a wedge).</param>
    public int PurgeExpired(Action? progress = null)
    {
        lock (_gate)
        {
            var count = Guarded("purge", () =>
            {
                var now = _time.GetUtcNow();
                var retention = TimeSpan.FromDays(_settings.RetentionDays);
                var due = new List<BsonDocument>();
                var deferred = new Dictionary<string, int>();
                foreach (var doc in Evidence().FindAll())
                {
                    var record = _mapper.ToRecord(doc);
                    if (record.LegalHold || record.ExpiresAt > now)
                    {
                        continue;
                    }

                    if (_clock.Distrust(record, retention) is { } reason)
                    {
                        deferred[reason] = deferred.GetValueOrDefault(reason) + 1;
                        continue;
                    }

                    due.Add(doc);
                }

                foreach (var (reason, n) in deferred)
                {
                    _retentionDeferred.Add(n, new KeyValuePair<string, object?>("reason", reason));
                    _logger.RetentionDeferred(n, reason);
                }

                foreach (var doc in due)
                {
                    if (EvidenceTransitions.Parse(doc["state"].AsString) != EvidenceState.Expired)
                    {
                        Transition(doc, EvidenceState.Expired, "retention_passed");
                    }

                    Delete(doc, "retention_passed");
                    progress?.Invoke();
                }

                PersistClock();
                return due.Count;
            });
            if (count > 0)
            {
                _logger.Purged(count);
            }

            return count;
        }
    }

    /// <summary>
    /// Legal hold: the item survives retention and eviction until released. The reason is stored encrypted; the
    /// audit log gets only a salted hash keyed by the storage credential, so it cannot be guessed from a dictionary.
    /// </summary>
    public EvidenceRecord Hold(string evidenceId, string reason)
    {
        lock (_gate)
        {
            return Guarded("hold", () =>
            {
                var doc = Get(evidenceId);
                var epoch = doc["epoch"].AsInt64;
                doc["hold"] = true;
                doc["hold_reason"] = _keys.Protect(epoch, EvidenceRecordMapper.Aad(evidenceId, "hold"), Encoding.UTF8.GetBytes(reason));
                doc["updated_ms"] = _time.GetUtcNow().ToUnixTimeMilliseconds();
                _mapper.Seal(doc);
                _database.Commit(db => db.GetCollection(EvidenceRecordMapper.EvidenceCollection).Update(doc));
                var salt = RandomNumberGenerator.GetBytes(16);
                Audit("legal_hold", evidenceId, reason: "operator", detail: $"reason_salt={Convert.ToHexStringLower(salt)};reason_hmac_sha256={Convert.ToHexStringLower(_keys.TextHash(salt, reason))}");
                return _mapper.ToRecord(doc);
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
                _mapper.Seal(doc);
                _database.Commit(db => db.GetCollection(EvidenceRecordMapper.EvidenceCollection).Update(doc));
                Audit("legal_hold_released", evidenceId, reason: "operator");
                return _mapper.ToRecord(doc);
            });
        }
    }

    /// <summary>Sealed bytes held now (what <c>sensen.vault.bytes</c> reports).</summary>
    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    /// <summary><c>vault.quota_bytes</c> as resolved.</summary>
    public long QuotaBytes => _settings.QuotaBytes;

    /// <summary>
    /// A remote command and its outcome (Telemetry/CommandHandler): event <c>remote_command</c>, the outcome as the
    /// reason (accepted, refused_…), the command and operator id as detail. Ids and fixed words only, never free text.
    /// </summary>
    public void AuditCommand(string outcome, string? evidenceId, string detail)
    {
        lock (_gate)
        {
            Audit("remote_command", evidenceId, reason: outcome, detail: detail);
        }
    }

    public IReadOnlyList<EvidenceRecord> List()
    {
        lock (_gate)
        {
            return Guarded("read", () => InOrder(Evidence().FindAll()).Select(_mapper.ToRecord).ToList());
        }
    }

    public EvidenceRecord? Find(string evidenceId)
    {
        lock (_gate)
        {
            return Guarded("read", () => Evidence().FindById(evidenceId) is { } doc ? _mapper.ToRecord(doc) : null);
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
                    ? Encoding.UTF8.GetString(_keys.Unprotect(doc["epoch"].AsInt64, EvidenceRecordMapper.Aad(evidenceId, "hold"), doc["hold_reason"].AsBinary))
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
                return ReadManifest(Db, _keys, evidenceId, doc["epoch"].AsInt64);
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
                return ReadChunk(Db, _keys, evidenceId, doc["epoch"].AsInt64, index)
                    ?? throw new VaultException(VaultErrorKind.NotFound, $"evidence {evidenceId} has no chunk {index}");
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
            try
            {
                // Only a vault that finished opening writes on close: a damaged one is never touched again.
                if (_opened)
                {
                    PersistClock();
                }
            }
            catch (Exception e) when (VaultDatabase.IsStorageFailure(e) || VaultDatabase.IsProvenCorruption(e) || e is LiteException or ObjectDisposedException)
            {
                // Closing on a failing disk: the observed time since the last persist is lost, which only keeps evidence longer.
                _logger.StorageFailure(e, "close");
            }

            _database.Dispose();
            _keys.Dispose();
            _audit.Dispose();
            _meter.Dispose();
        }
    }

    internal static (byte[] Json, byte[] Signature) ReadManifest(LiteDatabase db, StorageKeyRing keys, string evidenceId, long epoch)
    {
        var stored = db.GetCollection(EvidenceRecordMapper.ManifestCollection).FindById(evidenceId)
            ?? throw new RecordIntegrityException($"evidence {evidenceId} has no manifest");
        var json = keys.Unprotect(epoch, EvidenceRecordMapper.Aad(evidenceId, "manifest"), stored["json"].AsBinary);
        var signature = keys.Unprotect(epoch, EvidenceRecordMapper.Aad(evidenceId, "signature"), stored["sig"].AsBinary);
        return (json, signature);
    }

    internal static byte[]? ReadChunk(LiteDatabase db, StorageKeyRing keys, string evidenceId, long epoch, int index) =>
        db.GetCollection(EvidenceRecordMapper.ChunkCollection).FindById(EvidenceRecordMapper.ChunkId(evidenceId, index)) is { } stored
            ? keys.Unprotect(epoch, EvidenceRecordMapper.Aad(evidenceId, "chunk", index), stored["data"].AsBinary)
            : null;

    private static EvidenceVault OpenVerified(VaultSettings settings, TimeProvider time, ILogger logger, VaultRecovery recovery, bool create, SalvageReport? salvaged, bool freshByMarker)
    {
        StorageKeyRing? keys = null;
        AuditLog? audit = null;
        try
        {
            keys = new StorageKeyRing(settings.KeysDirectory, settings.StorageRoot, settings.KeyEpochDays);
            audit = new AuditLog(settings.AuditLogPath);
            var vault = new EvidenceVault(settings, time, logger, keys, audit);
            try
            {
                if (audit.TornTailBytes > 0)
                {
                    vault.Audit("audit_torn_line", reason: "unterminated_line_kept", detail: $"bytes={audit.TornTailBytes}");
                }

                vault.OpenDatabase(create);
                vault.VerifyReadable();
                if (create)
                {
                    vault.Audit("vault_created", reason: freshByMarker ? "operator_marker" : "first_start");
                    if (freshByMarker)
                    {
                        recovery.ConsumeFreshStartMarker();
                    }
                }

                if (salvaged is not null)
                {
                    vault.Salvaged = salvaged;
                    vault.Audit("vault_salvaged", reason: "corrupt", detail: $"kept={salvaged.Kept.Count};lost={salvaged.Lost.Count};quarantine={Path.GetFileName(salvaged.Quarantine)}");
                    foreach (var id in salvaged.Lost)
                    {
                        vault.Audit("salvage_lost", id, reason: "unreadable");
                    }
                }

                vault.ResumeClock();
                vault._opened = true;
                vault.SweepEpochs(recovery);
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
            throw new VaultException(VaultErrorKind.Io, $"cannot open the vault in {Path.GetDirectoryName(settings.DatabasePath)}: {e.Message}", e);
        }
        catch
        {
            keys?.Dispose();
            audit?.Dispose();
            throw;
        }
    }

    private void OpenDatabase(bool create)
    {
        try
        {
            _database.Open(create);
        }
        catch (Exception e) when (VaultDatabase.IsProvenCorruption(e))
        {
            _database.Abandon();
            throw new VaultCorruptionDetectedException(e);
        }
    }

    /// <summary>
    /// Reads every record (and checks its MAC), every manifest and every chunk (and checks their GCM tags): a damaged
    /// page shows now, not at send time. Failures that hit every item of an epoch (or every record) are a wrong or
    /// missing key, not damage, and change nothing; failures that hit some items are proven corruption.
    /// </summary>
    private void VerifyReadable()
    {
        List<BsonDocument> docs;
        try
        {
            docs = Evidence().FindAll().ToList();
            _ = Db.GetCollection(EvidenceRecordMapper.ChunkCollection).Count();
            _ = Db.GetCollection(EvidenceRecordMapper.ManifestCollection).Count();
        }
        catch (Exception e) when (VaultDatabase.IsProvenCorruption(e))
        {
            _database.Abandon();
            throw new VaultCorruptionDetectedException(e);
        }

        var records = new List<EvidenceRecord>();
        RecordIntegrityException? firstBad = null;
        foreach (var doc in docs)
        {
            try
            {
                records.Add(_mapper.ToRecord(doc));
            }
            catch (RecordIntegrityException e)
            {
                firstBad ??= e;
            }
        }

        if (firstBad is not null)
        {
            var wrongKey = records.Count == 0 && !AnyManifestDecrypts(docs);
            _database.Abandon();
            if (wrongKey)
            {
                throw new VaultException(VaultErrorKind.WrongKey, $"the storage key credential does not decrypt the evidence in {_settings.DatabasePath} (no record verifies under it: wrong key?); nothing was changed", firstBad);
            }

            throw new VaultCorruptionDetectedException(firstBad);
        }

        foreach (var epoch in records.GroupBy(r => r.Epoch))
        {
            var readable = 0;
            Exception? failure = null;
            foreach (var record in epoch)
            {
                try
                {
                    _ = ReadManifest(Db, _keys, record.Id, record.Epoch);
                    for (var i = 0; i < record.ChunkCount; i++)
                    {
                        _ = ReadChunk(Db, _keys, record.Id, record.Epoch, i) ?? throw new RecordIntegrityException($"evidence {record.Id} has no chunk {i}");
                    }

                    readable++;
                }
                catch (Exception e) when (e is CryptographicException or RecordIntegrityException || VaultDatabase.IsProvenCorruption(e))
                {
                    failure ??= e;
                }
            }

            if (failure is null)
            {
                continue;
            }

            _database.Abandon();
            if (readable == 0 && failure is CryptographicException)
            {
                throw new VaultException(VaultErrorKind.WrongKey, $"the storage key credential does not decrypt the evidence in {_settings.DatabasePath} (wrong key, or epoch {epoch.Key} key file missing from {_settings.KeysDirectory}); nothing was changed", failure);
            }

            throw new VaultCorruptionDetectedException(failure);
        }

        _usedBytes = records.Sum(r => r.SealedBytes);
        _nextSequence = docs.Count == 0 ? 1 : docs.Max(d => d["seq"].AsInt64) + 1;
    }

    /// <summary>Whether the storage key opens any stored manifest: if it does, records failing their MAC were altered, not read with a wrong key.</summary>
    private bool AnyManifestDecrypts(IEnumerable<BsonDocument> docs)
    {
        foreach (var doc in docs)
        {
            try
            {
                if (doc["_id"].IsString && doc["epoch"].IsNumber)
                {
                    _ = ReadManifest(Db, _keys, doc["_id"].AsString, doc["epoch"].AsInt64);
                    return true;
                }
            }
            catch (Exception e) when (e is CryptographicException or RecordIntegrityException || VaultDatabase.IsProvenCorruption(e))
            {
                // Try the next one.
            }
        }

        return false;
    }

    private EvidenceRecord Store(SealedEvidence evidence, DateTimeOffset now)
    {
        var id = evidence.Manifest.EvidenceId;
        var size = evidence.Manifest.Clip.SealedBytes;
        var live = InOrder(Evidence().FindAll()).Select(_mapper.ToRecord).ToList();
        var evict = _quota.Plan(live, size);
        if (evict is null)
        {
            var used = live.Sum(r => r.SealedBytes);
            Reject("quota", used);
            throw new VaultException(VaultErrorKind.Full, _quota.RefusalMessage(used, size));
        }

        // Both refusals come before any eviction: an item is never evicted for a clip that is then refused.
        EnsureFreeSpace(size);
        foreach (var victim in evict)
        {
            _logger.Evicted(victim.Id);
            Delete(Get(victim.Id), "quota_evicted");
        }

        var epoch = _keys.EpochOf(now);
        _keys.Ensure(epoch);
        var nowMs = now.ToUnixTimeMilliseconds();
        var doc = _mapper.Seal(new BsonDocument
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
            ["sealed_elapsed_ms"] = (long)_clock.Elapsed.TotalMilliseconds,
        });
        var manifest = new BsonDocument
        {
            ["_id"] = id,
            ["json"] = _keys.Protect(epoch, EvidenceRecordMapper.Aad(id, "manifest"), evidence.ManifestJson.Span),
            ["sig"] = _keys.Protect(epoch, EvidenceRecordMapper.Aad(id, "signature"), evidence.Signature.Span),
        };
        _database.Commit(db =>
        {
            var chunks = db.GetCollection(EvidenceRecordMapper.ChunkCollection);
            for (var i = 0; i < evidence.Chunks.Count; i++)
            {
                chunks.Insert(new BsonDocument
                {
                    ["_id"] = EvidenceRecordMapper.ChunkId(id, i),
                    ["ev"] = id,
                    ["data"] = _keys.Protect(epoch, EvidenceRecordMapper.Aad(id, "chunk", i), evidence.Chunks[i]),
                });
            }

            db.GetCollection(EvidenceRecordMapper.ManifestCollection).Insert(manifest);
            db.GetCollection(EvidenceRecordMapper.EvidenceCollection).Insert(doc);
        });
        _nextSequence++;
        Interlocked.Add(ref _usedBytes, size);
        Audit("transition", id, to: EvidenceState.Sealed, reason: "sealed", sealedSha256: evidence.Manifest.Clip.SealedSha256, epoch: epoch);
        _logger.Sealed(id, size, evidence.Chunks.Count);
        return _mapper.ToRecord(doc);
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
            Reject("disk_full", Interlocked.Read(ref _usedBytes));
            throw new VaultException(VaultErrorKind.Full, $"the disk under {directory} is full ({free} bytes free, about {needed} needed); the seal was not stored");
        }
    }

    private AckResult RefuseAck(VerifiedAck ack, EvidenceRecord record, AckResult result, string reason)
    {
        _acksRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
        if (_refusedAckLogged.Count >= 4096)
        {
            _refusedAckLogged.Clear();
        }

        if (_refusedAckLogged.Add((ack.EvidenceId, reason)))
        {
            _logger.AckNotApplied(ack.EvidenceId, reason);
            Audit("ack_refused", ack.EvidenceId, reason: reason, sealedSha256: record.SealedSha256);
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
                return _mapper.ToRecord(doc);
            });
        }
    }

    private void Transition(BsonDocument doc, EvidenceState to, string reason)
    {
        var record = _mapper.ToRecord(doc);
        if (!EvidenceTransitions.IsAllowed(record.State, to))
        {
            throw new VaultException(VaultErrorKind.IllegalTransition,
                $"evidence {record.Id} is {EvidenceTransitions.Name(record.State)}; it cannot become {EvidenceTransitions.Name(to)}");
        }

        doc["state"] = EvidenceTransitions.Name(to);
        doc["updated_ms"] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _mapper.Seal(doc);
        _database.Commit(db => db.GetCollection(EvidenceRecordMapper.EvidenceCollection).Update(doc));
        Audit("transition", record.Id, record.State, to, reason, record.SealedSha256);
    }

    /// <summary>Deletes an item's chunks, manifest and record in one transaction, then shreds its epoch if that was the epoch's last record.</summary>
    private void Delete(BsonDocument doc, string reason)
    {
        var record = _mapper.ToRecord(doc);
        var id = record.Id;
        if (!EvidenceTransitions.IsAllowed(record.State, EvidenceState.Deleted))
        {
            throw new VaultException(VaultErrorKind.IllegalTransition, $"evidence {id} is {EvidenceTransitions.Name(record.State)}; it cannot be deleted");
        }

        _database.Commit(db =>
        {
            db.GetCollection(EvidenceRecordMapper.ChunkCollection).DeleteMany(Query.EQ("ev", id));
            db.GetCollection(EvidenceRecordMapper.ManifestCollection).Delete(id);
            db.GetCollection(EvidenceRecordMapper.EvidenceCollection).Delete(id);
        });
        Interlocked.Add(ref _usedBytes, -record.SealedBytes);
        _deleted.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Audit("transition", id, record.State, EvidenceState.Deleted, reason, record.SealedSha256);
        if (Evidence().Count(Query.EQ("epoch", record.Epoch)) == 0)
        {
            _keys.Destroy(record.Epoch);
            Audit("epoch_destroyed", epoch: record.Epoch);
            _logger.EpochDestroyed(record.Epoch);
        }
    }

    /// <summary>Runs a store operation; an I/O failure (disk full included) reopens the database from its last durable state and surfaces as a <see cref="VaultException"/>, never a crash.</summary>
    private T Guarded<T>(string operation, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (VaultDatabase.IsStorageFailure(e))
        {
            _logger.StorageFailure(e, operation);
            var full = VaultDatabase.IsDiskFull(e);
            try
            {
                _database.Reopen();
            }
            catch (VaultException reopen)
            {
                throw new VaultException(VaultErrorKind.Io, $"vault {operation} failed ({e.Message}) and the database cannot be reopened: {reopen.Message}", e);
            }

            if (full)
            {
                Reject("disk_full", Interlocked.Read(ref _usedBytes));
                throw new VaultException(VaultErrorKind.Full, $"the disk under {Path.GetDirectoryName(_settings.DatabasePath)} is full; the {operation} was not stored", e);
            }

            throw new VaultException(VaultErrorKind.Io, $"vault {operation} failed: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            throw new VaultException(VaultErrorKind.WrongKey, $"stored evidence cannot be decrypted: {e.Message} (wrong storage-key credential, a destroyed epoch key, or the stored bytes were altered)", e);
        }
        catch (Exception e) when (VaultDatabase.IsProvenCorruption(e))
        {
            _database.Abandon();

            // Found while running: nothing is changed now; the next start quarantines and salvages (docs/VAULT.md, Recovery).
            throw new VaultException(VaultErrorKind.Corrupt, $"vault {operation}: {e.Message}; the next start salvages the vault (or run: sensen-edge queue salvage)", e);
        }
    }

    /// <summary>
    /// Epoch secrets with no record left (a crash between a delete and its shred, or a seal that never committed)
    /// are destroyed, but only when no quarantined file could still need one: a quarantine made by this version
    /// holds copies of its keys, an older one (a bare <c>.corrupt-*</c> file) or an unfinished salvage does not.
    /// </summary>
    private void SweepEpochs(VaultRecovery recovery)
    {
        if (recovery.SweepBlockedBy() is { } blocker)
        {
            _logger.SweepSkipped(blocker);
            return;
        }

        var used = Evidence().FindAll().Select(d => d["epoch"].AsInt64).ToHashSet();
        foreach (var epoch in _keys.Epochs().Where(e => !used.Contains(e)))
        {
            _keys.Destroy(epoch);
            Audit("epoch_destroyed", epoch: epoch);
            _logger.EpochDestroyed(epoch);
        }
    }

    private void ResumeClock()
    {
        var meta = Db.GetCollection(EvidenceRecordMapper.MetaCollection).FindById(ClockId);
        TimeSpan elapsed = TimeSpan.Zero;
        DateTimeOffset? heartbeat = null;
        if (meta is not null && meta["mac"].IsBinary
            && CryptographicOperations.FixedTimeEquals(_keys.RecordMac(ClockMacInput(meta["elapsed_ms"].AsInt64, meta["heartbeat_ms"].AsInt64)), meta["mac"].AsBinary))
        {
            elapsed = TimeSpan.FromMilliseconds(meta["elapsed_ms"].AsInt64);
            heartbeat = DateTimeOffset.FromUnixTimeMilliseconds(meta["heartbeat_ms"].AsInt64);
        }
        else if (meta is not null)
        {
            // An altered clock record could only make evidence look older; start the account again instead (keeps more).
            _logger.ClockRecordInvalid();
        }

        var uncredited = _clock.Resume(elapsed, heartbeat);
        if (uncredited > TimeSpan.Zero)
        {
            _retentionDeferred.Add(1, new KeyValuePair<string, object?>("reason", "gap_not_credited"));
            _logger.ClockGapNotCredited(uncredited.TotalHours);
        }

        PersistClock();
    }

    private void PersistClock()
    {
        var elapsed = (long)_clock.Elapsed.TotalMilliseconds;
        var heartbeat = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var doc = new BsonDocument
        {
            ["_id"] = ClockId,
            ["elapsed_ms"] = elapsed,
            ["heartbeat_ms"] = heartbeat,
            ["mac"] = _keys.RecordMac(ClockMacInput(elapsed, heartbeat)),
        };
        _database.Commit(db => db.GetCollection(EvidenceRecordMapper.MetaCollection).Upsert(doc));
    }

    private static byte[] ClockMacInput(long elapsed, long heartbeat) =>
        Encoding.ASCII.GetBytes(FormattableString.Invariant($"sensen-vault/2 clock|{elapsed}|{heartbeat}"));

    private LiteDatabase Db => _database.Db;

    private ILiteCollection<BsonDocument> Evidence() => Db.GetCollection(EvidenceRecordMapper.EvidenceCollection);

    private BsonDocument Get(string evidenceId) =>
        Evidence().FindById(evidenceId) ?? throw new VaultException(VaultErrorKind.NotFound, $"no evidence {evidenceId} in the vault");

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
}
