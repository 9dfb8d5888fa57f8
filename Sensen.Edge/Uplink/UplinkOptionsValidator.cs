using System.Text.RegularExpressions;

namespace Sensen.Edge.Uplink;

/// <summary>
/// The semantic checks of <c>uplink.*</c> (ranges are the binder's, from the attributes on
/// <see cref="UplinkOptions"/>). The helpers are shared with the reference receiver's file, whose keys
/// mean the same. <c>error(keyPath, message)</c> positions and records the message.
/// </summary>
internal static partial class UplinkOptionsValidator
{
    public static void Validate(UplinkOptions uplink, Action<string, string> error)
    {
        CheckCredentialName("uplink.client_key_credential", uplink.ClientKeyCredential, error);
        if (uplink.ClientCertificate is not null && uplink.ClientCertificate.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            error("uplink.client_certificate", "a private key is written inline; keys belong in a credential file");
        }

        if (uplink.ClientId is not null)
        {
            CheckIdentifier("uplink.client_id", uplink.ClientId, error);
        }

        CheckBroker(uplink.Broker, uplink.AllowInsecure, (_, message) => error("uplink.broker", message));
        CheckTopicPrefix(uplink.TopicPrefix, (_, message) => error("uplink.topic_prefix", message));
        if (uplink.BandwidthBytesPerSecond > 0 && uplink.BandwidthBytesPerSecond < ChunkPlan.MinimumChunkBytes)
        {
            error("uplink.bandwidth_bytes_per_second", $"{uplink.BandwidthBytesPerSecond} bytes per second is below one minimum chunk ({ChunkPlan.MinimumChunkBytes}); write 0 for no cap");
        }
    }

    public static void CheckBroker(string url, bool allowInsecure, Action<string, string> error)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var broker) || string.IsNullOrEmpty(broker.Host))
        {
            error("broker", $"'{url}' is not a broker URL (write mqtts://host:8883)");
        }
        else if (!string.IsNullOrEmpty(broker.UserInfo))
        {
            error("broker", "user name or password written in the URL; the device authenticates with its client certificate");
        }
        else if (broker.Scheme == "mqtt" && !allowInsecure)
        {
            error("broker", "plaintext mqtt:// is refused; use mqtts:// (or set allow_insecure: true on a development bench)");
        }
        else if (broker.Scheme is not ("mqtt" or "mqtts"))
        {
            error("broker", $"scheme '{broker.Scheme}' is not supported (use mqtts://)");
        }
        else if (broker.AbsolutePath is not ("" or "/") || broker.Query.Length > 0)
        {
            error("broker", $"'{url}' has a path or query; write only mqtts://host:port");
        }
    }

    public static void CheckTopicPrefix(string prefix, Action<string, string> error)
    {
        // MQTT 5 §4.7: '+' and '#' are wildcards, never part of a topic name; '$' topics are the broker's own (§4.7.2).
        if (prefix.Length == 0 || prefix.IndexOfAny(['+', '#', '\0']) >= 0 || prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            error("topic_prefix", $"'{prefix}' is not a topic prefix (no wildcards '+' '#', no leading or trailing '/')");
        }
        else if (prefix.StartsWith('$'))
        {
            error("topic_prefix", $"'{prefix}' starts with '$', which brokers reserve for their own topics");
        }
    }

    public static void CheckIdentifier(string path, string value, Action<string, string> error)
    {
        if (value.Length > 0 && !IdentifierPattern().IsMatch(value))
        {
            error(path, $"'{value}' is not a valid id (1-64 letters, digits, '.', '-', '_')");
        }
    }

    public static void CheckCredentialName(string path, string? name, Action<string, string> error)
    {
        if (name is not null && !IdentifierPattern().IsMatch(name))
        {
            error(path, "a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdentifierPattern();
}
