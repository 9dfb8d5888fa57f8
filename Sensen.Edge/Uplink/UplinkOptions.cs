using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Uplink;

/// <summary>MQTT 5 over TLS to the city's broker (docs/PROTOCOL.md, "Transport").</summary>
internal sealed record UplinkOptions
{
    /// <summary>Off keeps evidence queued in the vault (demo, commissioning).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>mqtts://host:port</c>; <c>mqtt://</c> only with <see cref="AllowInsecure"/>.</summary>
    public string Broker { get; init; } = "mqtts://localhost:8883";

    /// <summary>Defaults to the device id.</summary>
    public string? ClientId { get; init; }

    /// <summary>The city's CA (PEM path): the only trust root for the broker's certificate.</summary>
    public string? CaFile { get; init; }

    /// <summary>The device's client certificate (PEM path; public).</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>Credential holding the client certificate's private key.</summary>
    public string ClientKeyCredential { get; init; } = "mqtt-client-key";

    /// <summary>Topic prefix; the device id is appended (<c>sensen/unit-0042/…</c>).</summary>
    public string TopicPrefix { get; init; } = "sensen";

    /// <summary>Evidence chunk size; 128 KiB fits the strictest common broker limit (AWS IoT Core).</summary>
    [Range(4096, 8 * 1024 * 1024)]
    public int ChunkBytes { get; init; } = 128 * 1024;

    /// <summary>Chunks published but not yet PUBACKed, at most (the broker's Receive Maximum lowers it).</summary>
    [Range(1, 1024)]
    public int WindowChunks { get; init; } = 16;

    /// <summary>Evidence bytes per second, at most; 0 is no cap.</summary>
    [Range(0, 1_000_000_000)]
    public long BandwidthBytesPerSecond { get; init; }

    /// <summary>How long an item waits for the city's ack before the device asks again (re-sends the manifest).</summary>
    [Range(1, 86400)]
    public int AckTimeoutSeconds { get; init; } = 120;

    /// <summary>MQTT keep-alive (MQTT 5 §3.1.2.10).</summary>
    [Range(5, 3600)]
    public int KeepAliveSeconds { get; init; } = 30;

    /// <summary>How long the broker keeps the session (and queued acks) while the device is away (MQTT 5 §3.1.2.11.2).</summary>
    [Range(60, 4_294_967)]
    public int SessionExpirySeconds { get; init; } = 7 * 86400;

    /// <summary>Plaintext MQTT for development only; logged loudly and reported in telemetry.</summary>
    public bool AllowInsecure { get; init; }
}
