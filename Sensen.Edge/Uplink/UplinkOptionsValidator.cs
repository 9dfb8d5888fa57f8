using Sensen.Edge.Configuration;

namespace Sensen.Edge.Uplink;

/// <summary>
/// Checks of <c>uplink:</c>: broker URL and scheme, client id, topic prefix, bandwidth cap, no inline keys
/// (ranges are the binder's, from the attributes on <see cref="UplinkOptions"/>). The broker and prefix
/// checks are shared with the reference receiver's file, whose keys mean the same.
/// </summary>
internal static class UplinkOptionsValidator
{
    public static void Validate(ValidationContext context, UplinkOptions uplink)
    {
        context.CheckCredentialName("uplink.client_key_credential", uplink.ClientKeyCredential);
        context.CheckNotSecretValue("uplink.client_certificate", uplink.ClientCertificate);
        if (uplink.ClientId is not null)
        {
            context.CheckIdentifier("uplink.client_id", uplink.ClientId);
        }

        CheckBroker(uplink.Broker, uplink.AllowInsecure, message => context.Error("uplink.broker", message));
        CheckTopicPrefix(uplink.TopicPrefix, message => context.Error("uplink.topic_prefix", message));
        if (uplink.BandwidthBytesPerSecond > 0 && uplink.BandwidthBytesPerSecond < ChunkPlan.MinimumChunkBytes)
        {
            context.Error("uplink.bandwidth_bytes_per_second", $"{uplink.BandwidthBytesPerSecond} bytes per second is below one minimum chunk ({ChunkPlan.MinimumChunkBytes}); write 0 for no cap");
        }
    }

    public static void CheckBroker(string url, bool allowInsecure, Action<string> error)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var broker) || string.IsNullOrEmpty(broker.Host))
        {
            error($"'{url}' is not a broker URL (write mqtts://host:8883)");
        }
        else if (!string.IsNullOrEmpty(broker.UserInfo))
        {
            error("user name or password written in the URL; the device authenticates with its client certificate");
        }
        else if (broker.Scheme == "mqtt" && !allowInsecure)
        {
            error("plaintext mqtt:// is refused; use mqtts:// (or set allow_insecure: true on a development bench)");
        }
        else if (broker.Scheme is not ("mqtt" or "mqtts"))
        {
            error($"scheme '{broker.Scheme}' is not supported (use mqtts://)");
        }
        else if (broker.AbsolutePath is not ("" or "/") || broker.Query.Length > 0)
        {
            error($"'{url}' has a path or query; write only mqtts://host:port");
        }
    }

    public static void CheckTopicPrefix(string prefix, Action<string> error)
    {
        // MQTT 5.0 §4.7.1: '+' and '#' are wildcards and must not appear in a topic name that is published to;
        // §4.7.2: topics starting with '$' are the broker's own.
        if (prefix.Length == 0 || prefix.IndexOfAny(['+', '#', '\0']) >= 0 || prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            error($"'{prefix}' is not a topic prefix (no wildcards '+' '#', no leading or trailing '/')");
        }
        else if (prefix.StartsWith('$'))
        {
            error($"'{prefix}' starts with '$', which brokers reserve for their own topics");
        }
    }
}
