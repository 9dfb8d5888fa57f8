namespace Sensen.Edge.Ingest;

internal enum RtspTransport
{
    Tcp,
    Udp,
}
