using System.Security.Cryptography.X509Certificates;

namespace Sensen.Edge.Uplink;

/// <summary>
/// Everything needed to open one MQTT 5 session: the device's and the reference receiver's are built the
/// same way (mutual TLS, the city CA as the only root, a persistent session).
/// </summary>
internal sealed record MqttEndpoint
{
    public required Uri Broker { get; init; }

    public required string ClientId { get; init; }

    /// <summary>The only trust root for the broker's certificate; null only for plaintext (<see cref="Insecure"/>).</summary>
    public X509Certificate2Collection? TrustRoots { get; init; }

    /// <summary>The client certificate with its private key; null only for plaintext.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>True for <c>mqtt://</c>, which configuration allows only with <c>allow_insecure: true</c>.</summary>
    public bool Insecure => Broker.Scheme == "mqtt";

    /// <summary>The MQTT last will (MQTT 5 §3.1.2.5): retained, QoS 1, sent by the broker when the connection dies without a DISCONNECT.</summary>
    public string? WillTopic { get; init; }

    public string? WillPayload { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    public uint SessionExpirySeconds { get; init; } = 7 * 86400;

    /// <summary>Per-connect timeout (TCP, TLS and CONNACK).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconnect back-off: first wait, and the cap.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    public int Port => Broker.IsDefaultPort || Broker.Port <= 0 ? (Insecure ? 1883 : 8883) : Broker.Port;
}
