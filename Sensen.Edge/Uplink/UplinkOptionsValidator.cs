using Sensen.Edge.Configuration;

namespace Sensen.Edge.Uplink;

/// <summary>Checks of <c>uplink:</c>: broker URL and scheme, client id, topic prefix, no inline keys.</summary>
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

        if (!Uri.TryCreate(uplink.Broker, UriKind.Absolute, out var broker) || string.IsNullOrEmpty(broker.Host))
        {
            context.Error("uplink.broker", $"'{uplink.Broker}' is not a broker URL (write mqtts://host:8883)");
        }
        else if (!string.IsNullOrEmpty(broker.UserInfo))
        {
            context.Error("uplink.broker", "user name or password written in the URL; the device authenticates with its client certificate");
        }
        else if (broker.Scheme == "mqtt" && !uplink.AllowInsecure)
        {
            context.Error("uplink.broker", "plaintext mqtt:// is refused; use mqtts:// (or set allow_insecure: true on a development bench)");
        }
        else if (broker.Scheme is not ("mqtt" or "mqtts"))
        {
            context.Error("uplink.broker", $"scheme '{broker.Scheme}' is not supported (use mqtts://)");
        }

        // MQTT 5.0 §4.7.1: '+' and '#' are wildcards and must not appear in a topic name that is published to.
        if (uplink.TopicPrefix.Length == 0 || uplink.TopicPrefix.IndexOfAny(['+', '#', '\0']) >= 0
            || uplink.TopicPrefix.StartsWith('/') || uplink.TopicPrefix.EndsWith('/'))
        {
            context.Error("uplink.topic_prefix", $"'{uplink.TopicPrefix}' is not a topic prefix (no wildcards '+' '#', no leading or trailing '/')");
        }
    }
}
