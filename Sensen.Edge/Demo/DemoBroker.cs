using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Server;

namespace Sensen.Edge.Demo;

/// <summary>
/// The demo's MQTT 5 broker, in the demo's own process (MQTTnet.Server), so that <c>sensen-edge demo</c> needs no
/// mosquitto: TLS 1.2+ only (no plaintext listener), on loopback, and mutual: a client must present a certificate
/// that chains to the demo CA, as a city broker would demand of its units (docs/PROTOCOL.md, "Transport"). It also
/// lets the demo see what crosses it (<see cref="Watch"/>: one telemetry message for the report).
/// MQTTnet.Server refuses shared subscriptions (SUBACK SharedSubscriptionsNotSupported, before any interceptor
/// runs), so the demo's one receiver subscribes without a share group.
/// </summary>
internal sealed class DemoBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly X509Certificate2 _ca;
    private readonly ConcurrentDictionary<string, byte[]?> _watched = new(StringComparer.Ordinal);
    private long _refused;

    private DemoBroker(MqttServer server, X509Certificate2 ca, int port)
    {
        _server = server;
        _ca = ca;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The broker as the unit's <c>uplink.broker</c> and the receiver's <c>broker</c> name it (the certificate is for localhost).</summary>
    public Uri Url => new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"mqtts://localhost:{Port}"));

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"mqtts://localhost:{Port}");

    /// <summary>TLS handshakes refused for want of a client certificate from the demo CA.</summary>
    public long RefusedClients => Interlocked.Read(ref _refused);

    /// <summary>
    /// Starts the broker on <paramref name="port"/> (0: a free loopback port) with <paramref name="serverCertificate"/>
    /// (with its private key), trusting client certificates issued by <paramref name="ca"/> only.
    /// </summary>
    public static async Task<DemoBroker> StartAsync(X509Certificate2 serverCertificate, X509Certificate2 ca, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ArgumentNullException.ThrowIfNull(ca);
        if (!serverCertificate.HasPrivateKey)
        {
            throw new ArgumentException("the broker's certificate needs its private key", nameof(serverCertificate));
        }

        port = port == 0 ? FreeLoopbackPort() : port;
        DemoBroker? broker = null;
        var options = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithEncryptedEndpoint()
            .WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback)
            .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
            .WithEncryptedEndpointPort(port)
            .WithEncryptionCertificate(serverCertificate)
            .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13)
            // Sets ClientCertificateRequired: the TLS handshake itself fails without a certificate that this callback accepts.
            .WithClientCertificate((_, certificate, _, _) => broker!.Accepts(certificate))
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        broker = new DemoBroker(server, ca, port);
        server.InterceptingPublishAsync += broker.OnPublishAsync;
        cancellationToken.ThrowIfCancellationRequested();
        await server.StartAsync().ConfigureAwait(false);
        return broker;
    }

    /// <summary>From now on, keeps the latest message published on <paramref name="topic"/> (<see cref="Latest"/>).</summary>
    public void Watch(string topic) => _watched.TryAdd(topic, null);

    /// <summary>The payload of the latest message on a watched topic; null while none came.</summary>
    public byte[]? Latest(string topic) => _watched.TryGetValue(topic, out var payload) ? payload : null;

    /// <summary>The client's certificate must chain to the demo CA alone (the system store is not consulted) and be valid now.</summary>
    private bool Accepts(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            Interlocked.Increment(ref _refused);
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        // A demo CA publishes no CRL or OCSP responder.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        var ok = chain.Build(leaf);
        if (!ok)
        {
            Interlocked.Increment(ref _refused);
        }

        return ok;
    }

    private Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (_watched.ContainsKey(topic))
        {
            _watched[topic] = e.ApplicationMessage.Payload.ToArray();
        }

        return Task.CompletedTask;
    }

    /// <summary>A TCP port on loopback that nothing listens on right now (the OS picks it).</summary>
    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
        }
    }
}
