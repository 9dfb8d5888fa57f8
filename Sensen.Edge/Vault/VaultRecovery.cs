using System.Globalization;
using System.Security.Cryptography;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Vault;

/// <summary>
/// Recovery that never destroys evidence (docs/VAULT.md, Recovery). A file with proven corruption is moved into a
/// quarantine folder together with copies of every epoch key it may need; salvage then reads every item that still
/// parses from the quarantined copy (read-only), verifies its record MAC, every GCM tag and its sealed hash, and
/// keeps the valid ones in a fresh vault that replaces the damaged one atomically. Starting empty after a missing
/// or unreadable vault needs the operator's marker file, never an inference.
/// </summary>
internal sealed class VaultRecovery
{
    private const string QuarantineInfix = ".corrupt-";
    private const string KeysFolder = "vault-keys";
    private const string DoneFile = "SALVAGED";

    private readonly VaultSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _directory;
    private readonly Dictionary<LiteDatabase, (Stream Data, Stream? Log)> _sourceStreams = [];

    public VaultRecovery(VaultSettings settings, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        _directory = Path.GetDirectoryName(settings.DatabasePath)!;
    }

    public bool DatabaseExists => File.Exists(_settings.DatabasePath) && new FileInfo(_settings.DatabasePath).Length > 0;

    /// <summary>The operator's explicit go-ahead to start with an empty vault (an empty file; consumed when used).</summary>
    public string FreshStartMarkerPath => _settings.DatabasePath + ".start-fresh";

    public bool FreshStartRequested => File.Exists(FreshStartMarkerPath);

    public void ConsumeFreshStartMarker()
    {
        File.Delete(FreshStartMarkerPath);
        DirectorySync.Sync(_directory);
    }

    /// <summary>Whether this unit has kept evidence before: an audit log with lines, an epoch key, or a quarantined vault.</summary>
    public bool HasHistory() =>
        (File.Exists(_settings.AuditLogPath) && new FileInfo(_settings.AuditLogPath).Length > 0)
        || (Directory.Exists(_settings.KeysDirectory) && Directory.EnumerateFiles(_settings.KeysDirectory, "epoch-*.key").Any())
        || QuarantineEntries().Any();

    /// <summary>A quarantine whose salvage never finished (the damaged file is in it, no result was written), newest first.</summary>
    public string? PendingQuarantine() =>
        QuarantineEntries().Where(Directory.Exists)
            .Where(q => File.Exists(Path.Combine(q, Path.GetFileName(_settings.DatabasePath))) && !File.Exists(Path.Combine(q, DoneFile)))
            .OrderDescending(StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>Why the epoch sweep must not run now, or null: a quarantined file without its keys beside it, or an unfinished salvage.</summary>
    public string? SweepBlockedBy()
    {
        if (QuarantineEntries().FirstOrDefault(File.Exists) is { } legacy)
        {
            return $"{legacy} was quarantined without copies of its epoch keys";
        }

        return PendingQuarantine() is { } pending ? $"the salvage of {pending} has not finished" : null;
    }

    /// <summary>Moves the database, its log and commit mark into a new quarantine folder, after copying every epoch key into it. Returns the folder.</summary>
    public string Quarantine(string why)
    {
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var folder = _settings.DatabasePath + QuarantineInfix + stamp;
        for (var n = 1; Directory.Exists(folder) || File.Exists(folder); n++)
        {
            folder = $"{_settings.DatabasePath}{QuarantineInfix}{stamp}-{n}";
        }

        var keys = Path.Combine(folder, KeysFolder);
        CreatePrivateDirectory(folder);
        CreatePrivateDirectory(keys);

        // Copies, not hard links: shredding the live key overwrites its inode, and a link would be shredded with it.
        if (Directory.Exists(_settings.KeysDirectory))
        {
            foreach (var key in Directory.EnumerateFiles(_settings.KeysDirectory, "epoch-*.key"))
            {
                CopyDurably(key, Path.Combine(keys, Path.GetFileName(key)));
            }
        }

        DirectorySync.Sync(keys);
        var log = VaultDatabase.LogPathOf(_settings.DatabasePath);
        foreach (var file in new[] { _settings.DatabasePath, log, log + ".commit" }.Where(File.Exists))
        {
            File.Move(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        DirectorySync.Sync(folder);
        DirectorySync.Sync(_directory);
        _logger.MovedAside(_settings.DatabasePath, folder, why);
        return folder;
    }

    /// <summary>Builds a fresh vault from what verifies in <paramref name="quarantine"/> and puts it in place.</summary>
    public SalvageReport Salvage(string quarantine)
    {
        var damaged = Path.Combine(quarantine, Path.GetFileName(_settings.DatabasePath));
        var damagedLog = Path.Combine(quarantine, Path.GetFileName(VaultDatabase.LogPathOf(_settings.DatabasePath)));
        var temporary = _settings.DatabasePath + ".salvage";
        var temporaryLog = VaultDatabase.LogPathOf(temporary);
        foreach (var leftover in new[] { temporary, temporaryLog, temporaryLog + ".commit" })
        {
            File.Delete(leftover);
        }

        var kept = new List<string>();
        var lost = new List<string>();
        var keptEpochs = new HashSet<long>();
        using (var keys = new StorageKeyRing(Path.Combine(quarantine, KeysFolder), _settings.StorageRoot, _settings.KeyEpochDays))
        using (var target = new VaultDatabase(temporary, _settings.DatabasePassword, openFile: null, _logger))
        {
            var mapper = new EvidenceRecordMapper(keys);
            // LiteDB poisons its engine after the first impossible page (EngineState.Validate rethrows it on every later
            // call), so the source is reopened after each failure: one bad page costs the items on it, not the rest.
            var source = OpenReadOnly(damaged, damagedLog);
            if (source is null && !FreshStartRequested)
            {
                throw new VaultException(VaultErrorKind.Corrupt,
                    $"vault database {_settings.DatabasePath} is corrupt beyond reading; it is quarantined in {quarantine} with its epoch keys (nothing deleted). " +
                    $"Restore a copy, or create {FreshStartMarkerPath} to start with an empty vault on purpose");
            }

            target.Open(create: true);
            if (source is not null)
            {
                var ids = CollectIds(ref source, damaged, damagedLog);
                foreach (var id in ids)
                {
                    source ??= OpenReadOnly(damaged, damagedLog);
                    if (source is null)
                    {
                        lost.Add(id);
                        continue;
                    }

                    try
                    {
                        var item = ReadVerified(source, keys, mapper, id);
                        target.Commit(db =>
                        {
                            db.GetCollection(EvidenceRecordMapper.ChunkCollection).InsertBulk(item.Chunks);
                            db.GetCollection(EvidenceRecordMapper.ManifestCollection).Insert(item.Manifest);
                            db.GetCollection(EvidenceRecordMapper.EvidenceCollection).Insert(item.Record);
                        });
                        kept.Add(id);
                        keptEpochs.Add(item.Record["epoch"].AsInt64);
                    }
                    catch (Exception e) when (e is CryptographicException or RecordIntegrityException || VaultDatabase.IsProvenCorruption(e))
                    {
                        lost.Add(id);
                        _logger.SalvageLost(id, e.Message);
                        Abandon(source);
                        source = null;
                    }
                }

                source ??= OpenReadOnly(damaged, damagedLog);
                if (source is not null)
                {
                    CopyClock(source, target);
                }
            }
            else
            {
                ConsumeFreshStartMarker();
            }

            if (source is not null)
            {
                source.Dispose();
                if (_sourceStreams.Remove(source, out var streams))
                {
                    streams.Data.Dispose();
                    streams.Log?.Dispose();
                }
            }
        }

        // The kept items' keys must be live again even if the sweep ran since (their copies are in the quarantine).
        foreach (var epoch in keptEpochs)
        {
            var name = "epoch-" + epoch.ToString("D8", CultureInfo.InvariantCulture) + ".key";
            var live = Path.Combine(_settings.KeysDirectory, name);
            if (!File.Exists(live))
            {
                CopyDurably(Path.Combine(quarantine, KeysFolder, name), live);
            }
        }

        DirectorySync.Sync(_settings.KeysDirectory);
        File.Move(temporary, _settings.DatabasePath);
        File.Delete(temporaryLog);
        File.Delete(temporaryLog + ".commit");
        DirectorySync.Sync(_directory);
        var report = new SalvageReport(quarantine, kept, lost);
        using (var done = new FileStream(Path.Combine(quarantine, DoneFile), FileMode.Create, FileAccess.Write))
        {
            System.Text.Json.JsonSerializer.Serialize(done, new { report.Kept, report.Lost }, CanonicalJson.Options);
            done.Flush(flushToDisk: true);
        }

        DirectorySync.Sync(quarantine);
        _logger.Salvaged(_settings.DatabasePath, kept.Count, lost.Count, quarantine);
        return report;
    }

    /// <summary>Read-only LiteDB over the quarantined copy: nothing is ever written to it. A log is used only when its commit mark vouches for it.</summary>
    private LiteDatabase? OpenReadOnly(string database, string log)
    {
        Stream? data = null;
        Stream? logStream = null;
        try
        {
            data = new FileStream(database, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (File.Exists(log))
            {
                using var file = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.Read);
                using var mark = File.Exists(log + ".commit") ? new FileStream(log + ".commit", FileMode.Open, FileAccess.Read) : null;
                var marked = file.Length > VaultDatabase.LitePageBytes ? VaultDatabase.MarkedLength(file, mark) : -1;
                if (marked > 0)
                {
                    // Only the committed prefix, in memory: LiteDB never sees a torn tail, and the quarantined file is never written.
                    var prefix = new byte[marked];
                    file.Position = 0;
                    file.ReadExactly(prefix);
                    logStream = new MemoryStream(prefix, writable: false);
                }
            }

            var engine = new LiteEngine(new EngineSettings { DataStream = data, LogStream = logStream ?? new MemoryStream(), Password = _settings.DatabasePassword, ReadOnly = true });
            var opened = new LiteDatabase(engine, disposeOnClose: true);
            _sourceStreams[opened] = (data, logStream);
            return opened;
        }
        catch (Exception e) when (VaultDatabase.IsProvenCorruption(e) || e is IOException)
        {
            _logger.SalvageUnreadable(database, e.Message);
            data?.Dispose();
            logStream?.Dispose();
            return null;
        }
    }

    /// <summary>Every evidence id either collection still yields; a scan that breaks on a damaged page keeps what it read so far.</summary>
    private SortedSet<string> CollectIds(ref LiteDatabase? source, string database, string log)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { EvidenceRecordMapper.EvidenceCollection, EvidenceRecordMapper.ManifestCollection })
        {
            source ??= OpenReadOnly(database, log);
            if (source is null)
            {
                break;
            }

            try
            {
                foreach (var doc in source.GetCollection(name).FindAll())
                {
                    if (doc["_id"].IsString)
                    {
                        ids.Add(doc["_id"].AsString);
                    }
                }
            }
            catch (Exception e) when (VaultDatabase.IsProvenCorruption(e))
            {
                _logger.SalvageScanBroken(name, e.Message);
                Abandon(source);
                source = null;
            }
        }

        return ids;
    }

    private static (BsonDocument Record, BsonDocument Manifest, List<BsonDocument> Chunks) ReadVerified(LiteDatabase source, StorageKeyRing keys, EvidenceRecordMapper mapper, string id)
    {
        var doc = source.GetCollection(EvidenceRecordMapper.EvidenceCollection).FindById(id)
            ?? throw new RecordIntegrityException($"evidence {id} has no record");
        var record = mapper.ToRecord(doc);
        _ = EvidenceVault.ReadManifest(source, keys, id, record.Epoch);
        var manifest = source.GetCollection(EvidenceRecordMapper.ManifestCollection).FindById(id);
        var chunks = new List<BsonDocument>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        for (var i = 0; i < record.ChunkCount; i++)
        {
            var chunk = source.GetCollection(EvidenceRecordMapper.ChunkCollection).FindById(EvidenceRecordMapper.ChunkId(id, i))
                ?? throw new RecordIntegrityException($"evidence {id} has no chunk {i}");
            var sealedChunk = keys.Unprotect(record.Epoch, EvidenceRecordMapper.Aad(id, "chunk", i), chunk["data"].AsBinary);
            hash.AppendData(sealedChunk);
            bytes += sealedChunk.Length;
            chunks.Add(chunk);
        }

        if (bytes != record.SealedBytes || Convert.ToHexStringLower(hash.GetHashAndReset()) != record.SealedSha256)
        {
            throw new RecordIntegrityException($"evidence {id}: its chunks do not add up to its sealed hash");
        }

        return (doc, manifest, chunks);
    }

    private static void CopyClock(LiteDatabase source, VaultDatabase target)
    {
        try
        {
            if (source.GetCollection(EvidenceRecordMapper.MetaCollection).FindById("clock") is { } clock)
            {
                target.Commit(db => db.GetCollection(EvidenceRecordMapper.MetaCollection).Upsert(clock));
            }
        }
        catch (Exception e) when (VaultDatabase.IsProvenCorruption(e))
        {
            // The retention account starts again (evidence is then kept longer, never shorter).
        }
    }

    /// <summary>A poisoned read-only source: kept reachable (<see cref="PoisonedEngines"/>), its files closed.</summary>
    private void Abandon(LiteDatabase source)
    {
        PoisonedEngines.Keep(source);
        if (_sourceStreams.Remove(source, out var streams))
        {
            streams.Data.Dispose();
            streams.Log?.Dispose();
        }
    }

    private IEnumerable<string> QuarantineEntries() =>
        Directory.Exists(_directory)
            ? Directory.EnumerateFileSystemEntries(_directory, Path.GetFileName(_settings.DatabasePath) + QuarantineInfix + "*")
            : [];

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void CopyDurably(string from, string to)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var target = new FileStream(to, options);
        target.Write(File.ReadAllBytes(from));
        target.Flush(flushToDisk: true);
    }
}
