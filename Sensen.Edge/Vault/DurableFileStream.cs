namespace Sensen.Edge.Vault;

/// <summary>
/// The file under LiteDB. LiteDB 5.0.21 never forces its log to disk (LiteDB issue #2818: commits are
/// plain writes, and its <c>FlushToDisk</c> only calls <c>Flush(true)</c> on a bare FileStream), so this
/// stream makes <see cref="Flush"/> an fsync, and the vault calls it after every commit. Unbuffered, so
/// every LiteDB page write is a write(2) at once: a killed process loses nothing already written.
/// Opened with FileShare.None (flock on Linux), so a second process cannot open the vault under the daemon.
/// </summary>
internal sealed class DurableFileStream : Stream
{
    private readonly FileStream _file;
    private long _syncs;

    public DurableFileStream(string path, bool create)
    {
        var options = new FileStreamOptions
        {
            Mode = create ? FileMode.OpenOrCreate : FileMode.Open,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
            Options = FileOptions.RandomAccess,
        };
        if (create && !OperatingSystem.IsWindows())
        {
            // Created 0600 (open(2)'s mode argument), not chmod-ed after: never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _file = new FileStream(path, options);
    }

    /// <summary>How many times the data reached the disk (fsync) through this stream; tests pin the durability path with it.</summary>
    public long SyncCount => Interlocked.Read(ref _syncs);

    public string Name => _file.Name;

    public override bool CanRead => _file.CanRead;

    public override bool CanSeek => _file.CanSeek;

    public override bool CanWrite => _file.CanWrite;

    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    /// <summary>fsync(2): data and metadata on stable storage before this returns.</summary>
    public override void Flush()
    {
        _file.Flush(flushToDisk: true);
        Interlocked.Increment(ref _syncs);
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _file.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value) => _file.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _file.Write(buffer);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
