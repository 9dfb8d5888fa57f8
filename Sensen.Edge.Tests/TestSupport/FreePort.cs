using System.Net;
using System.Net.Sockets;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>A TCP port on loopback that nothing listens on right now (the OS picks it).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
