using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Receiver;

/// <summary>
/// The reference city receiver's own YAML file (<c>sensen-edge receiver --config FILE</c>; example in
/// config/receiver.yaml). Keys are the snake_case forms of these names, as in the daemon's file. Secrets
/// (the client key, the city keys) are credential file names, never values.
/// </summary>
internal sealed record ReceiverOptions
{
    /// <summary><c>mqtts://host:port</c>; <c>mqtt://</c> only with <see cref="AllowInsecure"/>.</summary>
    public string Broker { get; init; } = "mqtts://localhost:8883";

    /// <summary>This instance's MQTT client id; unique per instance (each has its own persistent session).</summary>
    public string ClientId { get; init; } = "city-receiver";

    /// <summary>Shared-subscription group (MQTT 5 §4.8.2): instances with the same group share the work, each message goes to one.</summary>
    public string ShareGroup { get; init; } = "city";

    /// <summary>The devices' topic prefix (their <c>uplink.topic_prefix</c>).</summary>
    public string TopicPrefix { get; init; } = "sensen";

    /// <summary>The CA (PEM path) that signed the broker's certificate: the only trust root.</summary>
    public string? CaFile { get; init; }

    /// <summary>This receiver's client certificate (PEM path).</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>Where secrets are read from, one file per credential (systemd's <c>$CREDENTIALS_DIRECTORY</c> by default).</summary>
    public string? CredentialsDirectory { get; init; }

    /// <summary>Credential holding the client certificate's private key.</summary>
    public string ClientKeyCredential { get; init; } = "mqtt-client-key";

    /// <summary>Credential holding the city's ECDH private key (<c>city-private.pem</c> from <c>sensen-edge keys city</c>).</summary>
    public string CityKeyCredential { get; init; } = "city-private";

    /// <summary>Credential holding the city's ack signing key (<c>city-ack.pem</c>).</summary>
    public string AckKeyCredential { get; init; } = "city-ack";

    /// <summary>Directory of device public keys, one <c>DEVICE-ID.pem</c> each (<c>device-public.pem</c> from <c>sensen-edge keys device</c>).</summary>
    public string DeviceKeysDirectory { get; init; } = "devices";

    /// <summary>Received evidence and reassembly state. Several instances share it (chunks of one item may reach different instances).</summary>
    public string OutputDirectory { get; init; } = "received";

    /// <summary>Largest chunk accepted, bytes; a device's <c>chunk_bytes</c> must not exceed it.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxChunkBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Largest sealed item accepted, megabytes.</summary>
    [Range(1, 100_000)]
    public int MaxItemMegabytes { get; init; } = 2048;

    [Range(5, 3600)]
    public int KeepAliveSeconds { get; init; } = 30;

    /// <summary>Plaintext MQTT for a development bench only.</summary>
    public bool AllowInsecure { get; init; }
}
