using System.Net.Sockets;
using System.Text;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>A real unix datagram socket standing in for systemd's notify socket ($NOTIFY_SOCKET).</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly string _directory;

    public NotifySocket()
    {
        _directory = Directory.CreateTempSubdirectory("sensen-notify-").FullName;
        Path = System.IO.Path.Combine(_directory, "notify.sock");
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    public string Path { get; }

    /// <summary>Bytes waiting to be read: zero when nothing was ever sent.</summary>
    public int Pending => _socket.Available;

    /// <summary>Receives datagrams until one contains <paramref name="assignment"/> (e.g. READY=1); returns every message seen.</summary>
    public async Task<List<string>> WaitForAsync(string assignment, CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            var message = Encoding.UTF8.GetString(buffer, 0, n);
            seen.Add(message);
            if (message.Split('\n').Contains(assignment))
            {
                return seen;
            }
        }
    }

    /// <summary>The next datagram, or null when none comes within <paramref name="timeout"/> (a silent watchdog).</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var buffer = new byte[4096];
        try
        {
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
