using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Uplink;

/// <summary>MQTT 5 over TLS to the city's broker.</summary>
internal sealed record UplinkOptions
{
    /// <summary>Off keeps evidence queued in the vault (demo, commissioning).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>mqtts://host:port</c>; <c>mqtt://</c> only with <see cref="AllowInsecure"/>.</summary>
    public string Broker { get; init; } = "mqtts://localhost:8883";

    /// <summary>Defaults to the device id.</summary>
    public string? ClientId { get; init; }

    /// <summary>CA bundle that signed the broker's certificate (PEM path).</summary>
    public string? CaFile { get; init; }

    /// <summary>The device's client certificate (PEM path; public).</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>Credential holding the client certificate's private key.</summary>
    public string ClientKeyCredential { get; init; } = "mqtt-client-key";

    /// <summary>Topic prefix; the device id is appended (<c>sensen/unit-0042/…</c>).</summary>
    public string TopicPrefix { get; init; } = "sensen";

    /// <summary>Evidence chunk size; 128 KiB fits the strictest common broker limit.</summary>
    [Range(4096, 8 * 1024 * 1024)]
    public int ChunkBytes { get; init; } = 128 * 1024;

    /// <summary>Plaintext MQTT for development only; logged loudly and reported in telemetry.</summary>
    public bool AllowInsecure { get; init; }
}
