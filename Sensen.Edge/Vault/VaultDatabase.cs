using System.Buffers.Binary;
using System.Security.Cryptography;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Vault;

/// <summary>
/// The vault's database seam: LiteDB over two streams, the commit protocol LiteDB leaves out (fsync the log,
/// mark it committed, checkpoint, fsync the truncation), reopening after storage failures, and the
/// classification of what went wrong (docs/VAULT.md, Durability and Recovery). Not thread-safe: the vault's
/// gate serialises every call.
/// </summary>
internal sealed class VaultDatabase : IDisposable
{
    /// <summary>LiteDB's page; an encrypted log keeps one header page (its salt) when empty.</summary>
    public const int LitePageBytes = 8192;

    /// <summary>The commit mark: log length (8 bytes, big-endian) ‖ SHA-256 of the log (32 bytes).</summary>
    private const int MarkBytes = 40;

    private readonly string _databasePath;
    private readonly string _logPath;
    private readonly string _password;
    private readonly Func<string, bool, Stream> _openFile;
    private readonly ILogger _logger;
    private Stream? _data;
    private Stream? _log;
    private LiteDatabase? _db;

    public VaultDatabase(string databasePath, string password, Func<string, bool, Stream>? openFile, ILogger logger)
    {
        _databasePath = databasePath;
        _logPath = LogPathOf(databasePath);
        _password = password;
        _openFile = openFile ?? ((path, create) => new DurableFileStream(path, create));
        _logger = logger;
    }

    public string DatabasePath => _databasePath;

    public string LogPath => _logPath;

    /// <summary>Beside the log: says which log content was completely written and fsynced before a commit returned.</summary>
    public string MarkPath => _logPath + ".commit";

    public (long Data, long Log) SyncCounts => ((_data as DurableFileStream)?.SyncCount ?? 0, (_log as DurableFileStream)?.SyncCount ?? 0);

    /// <summary>The open database, reopened first if a storage failure closed it.</summary>
    public LiteDatabase Db
    {
        get
        {
            if (_db is null)
            {
                Open(create: false);
            }

            return _db!;
        }
    }

    public static string LogPathOf(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(databasePath)!, Path.GetFileNameWithoutExtension(databasePath) + "-log" + Path.GetExtension(databasePath));

    /// <summary>
    /// Opens LiteDB. A log that holds more than its header page is replayed only when the commit mark vouches
    /// for every byte of it; otherwise it holds a transaction that never returned (torn or cut by a kill, a full
    /// disk or a power cut) and is dropped first, because LiteDB has no page checksums and would replay a torn
    /// page as committed.
    /// </summary>
    public void Open(bool create, bool skipCheckpoint = false)
    {
        try
        {
            _data = _openFile(_databasePath, create);
            _log = _openFile(_logPath, true);
        }
        catch (IOException e) when (!IsDiskFull(e) && File.Exists(_databasePath))
        {
            Close();
            throw new VaultException(VaultErrorKind.InUse, $"vault database {_databasePath} is in use by another process (is the daemon running? stop it first): {e.Message}", e);
        }

        try
        {
            if (_log.Length > LitePageBytes)
            {
                // Keep exactly what the mark vouches for: a committed prefix (not yet checkpointed) stays, a torn or
                // uncommitted tail after it goes; with no vouched prefix, everything in the log is uncommitted.
                var marked = MarkedLength();
                if (marked < _log.Length)
                {
                    _log.SetLength(Math.Max(0, marked));
                    _log.Flush();
                    _logger.UncommittedLogDropped(_logPath);
                }
            }

            var engine = new LiteEngine(new EngineSettings { DataStream = _data, LogStream = _log, Password = _password });
            _db = new LiteDatabase(engine, disposeOnClose: true);
            if (!skipCheckpoint)
            {
                try
                {
                    _db.Checkpoint();
                    _log.Flush();
                }
                catch (Exception e) when (IsDiskFull(e))
                {
                    // The data file cannot grow: keep serving from the log (LiteDB reads through it) until space returns.
                    _logger.StorageFailure(e, "open checkpoint");
                    Close();
                    Open(create, skipCheckpoint: true);
                    return;
                }
            }

            if (create)
            {
                Commit(db =>
                {
                    db.GetCollection(EvidenceRecordMapper.EvidenceCollection).EnsureIndex("state");
                    db.GetCollection(EvidenceRecordMapper.EvidenceCollection).EnsureIndex("epoch");
                    db.GetCollection(EvidenceRecordMapper.ChunkCollection).EnsureIndex("ev");
                });
                DirectorySync.Sync(Path.GetDirectoryName(_databasePath)!);
            }
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INVALID_PASSWORD)
        {
            Close();
            throw new VaultException(VaultErrorKind.WrongKey, $"the database key credential does not open {_databasePath} (wrong key?); nothing was changed", e);
        }
        catch (IOException e)
        {
            Close();
            throw new VaultException(IsDiskFull(e) ? VaultErrorKind.Full : VaultErrorKind.Io, $"cannot open {_databasePath}: {e.Message}", e);
        }
        catch
        {
            Close();
            throw;
        }
    }

    /// <summary>
    /// One LiteDB transaction, then the durability steps LiteDB leaves out (issue #2818): fsync the log; write and
    /// fsync the commit mark (from here the change survives a power cut and is reported); checkpoint into the data
    /// file (which fsyncs it through <see cref="DurableFileStream.Flush"/>); fsync the log again so its truncation
    /// is durable too.
    /// </summary>
    public void Commit(Action<LiteDatabase> work)
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

        _log!.Flush();
        WriteMark();
        try
        {
            db.Checkpoint();
            _log.Flush();
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // The data file could not grow (disk full). The change is safe in the marked log; LiteDB closed its
            // engine, so the next operation reopens and the checkpoint is retried then. Not a failure of this commit.
            _logger.StorageFailure(e, "checkpoint");
            Close();
        }
    }

    /// <summary>After proven corruption: the LiteDB instance is abandoned (see <see cref="PoisonedEngines"/>), the files closed.</summary>
    public void Abandon()
    {
        if (_db is not null)
        {
            PoisonedEngines.Keep(_db);
        }

        _db = null;
        _data?.Dispose();
        _log?.Dispose();
        _data = null;
        _log = null;
    }

    public void Reopen()
    {
        Close();
        Open(create: false);
    }

    public void Close()
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

    public void Dispose() => Close();

    public static bool IsStorageFailure(Exception e) =>
        e is not VaultException
        && (e is IOException || (e is LiteException { ErrorCode: LiteException.ENGINE_DISPOSED }) || e.InnerException is IOException);

    public static bool IsDiskFull(Exception e)
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

    /// <summary>
    /// Proven corruption, and nothing else: a LiteDB format error (not a wrong password, a closed engine or a lock),
    /// a record that fails its integrity check, or a decoding error raised inside LiteDB's own page and BSON readers.
    /// A bug, an I/O error or a wrong key is not corruption and never triggers quarantine or salvage.
    /// </summary>
    public static bool IsProvenCorruption(Exception e) => e switch
    {
        RecordIntegrityException => true,
        // INVALID_DATAFILE_STATE is what LiteDB's internal ENSURE checks throw on an impossible page (its corruption signal).
        LiteException le => le.ErrorCode is not (LiteException.INVALID_PASSWORD or LiteException.ENGINE_DISPOSED or LiteException.ALREADY_OPEN_DATAFILE)
            && e.InnerException is not IOException,
        InvalidCastException or IndexOutOfRangeException or ArgumentOutOfRangeException or EndOfStreamException or OverflowException or FormatException
            => RaisedInsideLiteDb(e),
        _ => false,
    };

    /// <summary>Whether LiteDB's own code was on the stack when the exception was thrown (a decoder failing on bytes it read).</summary>
    private static bool RaisedInsideLiteDb(Exception e) =>
        new System.Diagnostics.StackTrace(e, fNeedFileInfo: false).GetFrames().Any(f => f.GetMethod()?.DeclaringType?.Assembly == typeof(LiteDatabase).Assembly);

    private static void TryRollback(LiteDatabase db)
    {
        try
        {
            db.Rollback();
        }
        catch (Exception e) when (e is LiteException or IOException or ObjectDisposedException)
        {
            // The engine closed itself after an I/O error (LiteDB EngineState.Handle): the vault reopens it.
        }
    }

    private byte[] LogDigest(out long length)
    {
        var log = _log!;
        var position = log.Position;
        length = log.Length;
        log.Position = 0;
        var digest = SHA256.HashData(log);
        log.Position = position;
        return digest;
    }

    private void WriteMark()
    {
        var mark = new byte[MarkBytes];
        var digest = LogDigest(out var length);
        BinaryPrimitives.WriteInt64BigEndian(mark, length);
        digest.CopyTo(mark, 8);
        using var file = _openFile(MarkPath, true);
        file.Position = 0;
        file.Write(mark);
        file.SetLength(MarkBytes);
        file.Flush();
    }

    private long MarkedLength()
    {
        using var mark = _openFile(MarkPath, true);
        return MarkedLength(_log!, mark);
    }

    /// <summary>
    /// How many leading bytes of <paramref name="log"/> the commit mark vouches for (their length and SHA-256 match),
    /// or -1 when it vouches for none: the log was checkpointed and truncated since, and what follows never committed.
    /// </summary>
    public static long MarkedLength(Stream log, Stream? mark)
    {
        if (mark is null || mark.Length != MarkBytes)
        {
            return -1;
        }

        var stored = new byte[MarkBytes];
        mark.Position = 0;
        mark.ReadExactly(stored);
        var length = BinaryPrimitives.ReadInt64BigEndian(stored);
        if (length <= 0 || length > log.Length)
        {
            return -1;
        }

        var position = log.Position;
        log.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        for (var left = length; left > 0;)
        {
            var read = log.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                break;
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        log.Position = position;
        return CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), stored.AsSpan(8)) ? length : -1;
    }
}
