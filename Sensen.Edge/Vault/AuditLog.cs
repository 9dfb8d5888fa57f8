using System.Text.Json;

namespace Sensen.Edge.Vault;

/// <summary>
/// Append-only JSON-lines log of every vault event (O_APPEND, each line fsynced before the call returns).
/// It holds no personal data (see <see cref="AuditEntry"/>); rotating it is the operator's business
/// (logrotate with copytruncate is not safe; use create + a restart, or leave it: a line is ~200 bytes).
/// A line can still be torn: a kill lands between the pages of one write(2), or a power cut loses its end.
/// Opening the log keeps such a fragment as it is (it is evidence of what was being written) and ends it
/// with a newline before the next entry, so the lines after it parse; <see cref="TornTailBytes"/> says how long it was.
/// </summary>
internal sealed class AuditLog : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly FileStream _file;
    private readonly Lock _gate = new();
    private bool _endTornLine;

    public AuditLog(string path)
    {
        Path = path;
        var existed = File.Exists(path);
        TornTailBytes = existed ? MeasureTornTail(path) : 0;
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        if (!existed && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        _endTornLine = TornTailBytes > 0;
    }

    public string Path { get; }

    /// <summary>Length of the unterminated last line found on open (0 when the log ended cleanly).</summary>
    public int TornTailBytes { get; }

    public void Append(AuditEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, CanonicalJson.Options);
        lock (_gate)
        {
            // The newline that ends a torn line goes out with the next entry, in one write(2).
            _file.Write(_endTornLine ? [.. NewLine, .. line, .. NewLine] : [.. line, .. NewLine]);
            _file.Flush(flushToDisk: true);
            _endTornLine = false;
        }
    }

    public void Dispose() => _file.Dispose();

    private static int MeasureTornTail(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        if (read.Length == 0)
        {
            return 0;
        }

        // A line is a few hundred bytes; look back far enough for any of them.
        var window = new byte[(int)Math.Min(read.Length, 64 * 1024)];
        read.Seek(-window.Length, SeekOrigin.End);
        read.ReadExactly(window);
        if (window[^1] == (byte)'\n')
        {
            return 0;
        }

        var lastNewLine = window.AsSpan().LastIndexOf((byte)'\n');
        return window.Length - (lastNewLine + 1);
    }
}
