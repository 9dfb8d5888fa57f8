using System.Text.Json;

namespace Sensen.Edge.Vault;

/// <summary>
/// Append-only JSON-lines log of every vault event (O_APPEND, each line fsynced before the call returns).
/// It holds no personal data (see <see cref="AuditEntry"/>); rotating it is the operator's business
/// (logrotate with copytruncate is not safe; use create + a restart, or leave it: a line is ~200 bytes).
/// </summary>
internal sealed class AuditLog : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly FileStream _file;
    private readonly Lock _gate = new();

    public AuditLog(string path)
    {
        Path = path;
        var existed = File.Exists(path);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        if (!existed && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }
    }

    public string Path { get; }

    public void Append(AuditEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, CanonicalJson.Options);
        lock (_gate)
        {
            _file.Write([.. line, .. NewLine]);
            _file.Flush(flushToDisk: true);
        }
    }

    public void Dispose() => _file.Dispose();
}
