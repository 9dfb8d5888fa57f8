namespace Sensen.Edge.Uplink;

/// <summary>
/// The MQTT layer of docs/PROTOCOL.md: topic names and user property names, in one place for the device,
/// the reference receiver and the test that checks the document against the code.
/// </summary>
internal static class UplinkProtocol
{
    /// <summary>Topic level under <c>PREFIX/DEVICE/</c> that carries the signed manifest of an item.</summary>
    public const string ManifestTopic = "evidence/manifest";

    /// <summary>Topic level that carries the numbered binary chunks of the sealed blob.</summary>
    public const string ChunkTopic = "evidence/chunk";

    /// <summary>Topic level the city publishes acknowledgements to (the device's only subscription).</summary>
    public const string AckTopic = "ack";

    /// <summary>Version of this transport, on every message.</summary>
    public const string Format = "sensen-uplink/1";

    // User properties (MQTT 5 §3.3.2.3.7). Names are lower-case snake_case like the manifest's members.
    public const string FormatProperty = "format";
    public const string EvidenceIdProperty = "evidence_id";
    public const string ChunkIndexProperty = "chunk_index";
    public const string ChunkCountProperty = "chunk_count";
    public const string ChunkBytesProperty = "chunk_bytes";
    public const string SealedBytesProperty = "sealed_bytes";
    public const string SignatureProperty = "signature";

    /// <summary>Every user property name, for the documentation test.</summary>
    public static readonly IReadOnlyList<string> UserProperties =
        [FormatProperty, EvidenceIdProperty, ChunkIndexProperty, ChunkCountProperty, ChunkBytesProperty, SealedBytesProperty, SignatureProperty];

    /// <summary>Content types (MQTT 5 §3.3.2.3.9).</summary>
    public const string ManifestContentType = "application/json";
    public const string ChunkContentType = "application/octet-stream";
    public const string AckContentType = "application/jose";

    /// <summary>Bytes of a PUBLISH beyond its payload that a chunk needs at most: fixed header (5), topic, packet id, properties.</summary>
    public const int ChunkOverheadBytes = 1024;

    /// <summary>A user property value as MQTT carries it (UTF-8, MQTT 5 §1.5.7).</summary>
    public static ReadOnlyMemory<byte> Utf8(string value) => System.Text.Encoding.UTF8.GetBytes(value).AsMemory();

    public static string DeviceTopic(string prefix, string deviceId, string level) => $"{prefix}/{deviceId}/{level}";

    /// <summary>The receiver's shared subscriptions (MQTT 5 §4.8.2): every device's evidence, one instance of the group per message.</summary>
    public static string SharedEvidenceFilter(string group, string prefix) => $"$share/{group}/{prefix}/+/evidence/#";

    /// <summary>The same without sharing: for a single receiver on a broker without shared subscriptions (the demo's MQTTnet one).</summary>
    public static string EvidenceFilter(string prefix) => $"{prefix}/+/evidence/#";

    /// <summary>The device id in a topic <c>PREFIX/DEVICE/…</c>, or null when the topic is not under the prefix.</summary>
    public static string? DeviceOf(string topic, string prefix)
    {
        if (!topic.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = topic.AsSpan(prefix.Length + 1);
        var slash = rest.IndexOf('/');
        return slash <= 0 ? null : rest[..slash].ToString();
    }
}
