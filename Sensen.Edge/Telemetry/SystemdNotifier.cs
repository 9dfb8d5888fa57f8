using System.Net.Sockets;
using System.Text;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// sd_notify(3) written out: datagrams to the socket named by <c>$NOTIFY_SOCKET</c>. We do not rely on
/// <c>UseSystemd()</c>, which on .NET 10 decides it is not under systemd when the unit sets
/// <c>ProtectProc=invisible</c> (dotnet/runtime#125368); the socket's presence is the contract.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;

    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        // A leading '@' names a socket in the abstract namespace (sd_notify(3)); .NET spells that with a NUL.
        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endPoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>Whether a service manager is listening.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Sends one state string such as <c>READY=1</c> or <c>STATUS=…</c>; newline-separated for several.</summary>
    public bool Notify(string state)
    {
        if (_socket is null)
        {
            return false;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _endPoint!);
            return true;
        }
        catch (SocketException)
        {
            // The manager went away (e.g. `systemctl stop` raced us); nothing useful to do about it.
            return false;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
