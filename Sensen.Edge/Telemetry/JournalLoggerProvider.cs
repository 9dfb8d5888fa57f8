using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Structured logging straight into journald over its native socket, so that every placeholder of a
/// <c>[LoggerMessage]</c> template becomes a journal field an operator can filter on
/// (<c>journalctl -u sensen-edge CAMERA=cam-north</c>), next to MESSAGE, PRIORITY and the category.
/// </summary>
internal sealed class JournalLoggerProvider : ILoggerProvider
{
    /// <summary>Where journald listens for native-protocol datagrams (sd_journal_sendv(3)).</summary>
    public const string DefaultSocketPath = "/run/systemd/journal/socket";

    /// <summary>Datagrams above this need a memfd; log lines never should be this long, so they are cut.</summary>
    internal const int MaxFieldBytes = 32 * 1024;

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly string _identifier;

    public JournalLoggerProvider(string socketPath, string identifier)
    {
        _identifier = identifier;
        _endPoint = new UnixDomainSocketEndPoint(socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static bool IsAvailable(string socketPath = DefaultSocketPath) => File.Exists(socketPath);

    public ILogger CreateLogger(string categoryName) => new JournalLogger(this, categoryName);

    public void Dispose() => _socket.Dispose();

    internal void Send(string category, LogLevel level, EventId eventId, string message, Exception? exception, IReadOnlyList<KeyValuePair<string, object?>>? state)
    {
        using var buffer = new MemoryStream(256);
        JournalField.Append(buffer, "MESSAGE", Cut(exception is null ? message : $"{message}: {exception.Message}"));
        JournalField.Append(buffer, "PRIORITY", Priority(level).ToString(System.Globalization.CultureInfo.InvariantCulture));
        JournalField.Append(buffer, "SYSLOG_IDENTIFIER", _identifier);
        JournalField.Append(buffer, "LOGGER", category);
        if (eventId.Id != 0)
        {
            JournalField.Append(buffer, "EVENT_ID", eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (exception is not null)
        {
            JournalField.Append(buffer, "EXCEPTION_TYPE", exception.GetType().FullName ?? "Exception");
            JournalField.Append(buffer, "EXCEPTION", Cut(exception.ToString()));
        }

        foreach (var (key, value) in state ?? [])
        {
            if (key == "{OriginalFormat}" || value is null)
            {
                continue;
            }

            JournalField.Append(buffer, JournalField.Name(key), Cut(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        }

        try
        {
            _socket.SendTo(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), SocketFlags.None, _endPoint);
        }
        catch (SocketException)
        {
            // journald restarting: a lost line is better than a stalled pipeline.
        }
    }

    /// <summary>syslog(3) priorities, as journalctl -p reads them.</summary>
    internal static int Priority(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    private static string Cut(string value) => value.Length <= MaxFieldBytes / 4 ? value : value[..(MaxFieldBytes / 4)] + "…";
}
