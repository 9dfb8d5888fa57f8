using Sensen.Edge.Receiver;
using Sensen.Edge.Uplink;
using YamlDotNet.Core;

namespace Sensen.Edge.Configuration;

/// <summary>
/// Reads the reference receiver's YAML with the daemon's loader (<see cref="ConfigLoader.ReadDocument{T}"/>:
/// size, alias and depth limits, keys, types, ranges), then its own semantic checks, every error positioned
/// like the daemon's (<c>FILE:LINE:COL key.path: message</c>).
/// </summary>
internal static class ReceiverConfigLoader
{
    public static (ReceiverOptions? Options, string Directory, IReadOnlyList<ConfigError> Errors, bool FileMissing) Load(string path)
    {
        var document = ConfigLoader.ReadDocument<ReceiverOptions>(path);
        if (document.Value is null)
        {
            return (null, "", ConfigLoader.Sorted(document.Errors), document.FileMissing);
        }

        var errors = document.Errors.ToList();
        var failed = errors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var options = document.Value;

        void Error(string key, string message)
        {
            if (failed.Contains(key))
            {
                return;
            }

            var mark = document.Marks.TryGetValue(key, out var at) ? at : document.Marks.GetValueOrDefault("", Mark.Empty);
            errors.Add(new ConfigError(path, (int)mark.Line, (int)mark.Column, key, message));
        }

        UplinkOptionsValidator.CheckBroker(options.Broker, options.AllowInsecure, m => Error("broker", m));
        UplinkOptionsValidator.CheckTopicPrefix(options.TopicPrefix, m => Error("topic_prefix", m));
        foreach (var (key, value) in new[] { ("client_id", options.ClientId), ("share_group", options.ShareGroup) })
        {
            if (!ValidationContext.IsIdentifier(value))
            {
                Error(key, $"'{value}' is not a valid id (1-64 letters, digits, '.', '-', '_')");
            }
        }

        foreach (var (key, value) in new[] { ("client_key_credential", options.ClientKeyCredential), ("city_key_credential", options.CityKeyCredential), ("ack_key_credential", options.AckKeyCredential) })
        {
            if (!ValidationContext.IsIdentifier(value))
            {
                Error(key, "a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself");
            }
        }
        if (!options.Broker.StartsWith("mqtt://", StringComparison.Ordinal))
        {
            if (options.CaFile is null)
            {
                Error("ca_file", "required for mqtts:// (the CA that signed the broker's certificate)");
            }

            if (options.ClientCertificate is null)
            {
                Error("client_certificate", "required for mqtts:// (the receiver authenticates with it)");
            }
        }

        var directory = Path.GetDirectoryName(document.FullPath)!;
        var devices = Path.GetFullPath(options.DeviceKeysDirectory, directory);
        if (!Directory.Exists(devices))
        {
            Error("device_keys_directory", $"no such directory: {devices} (one DEVICE-ID.pem public key per device)");
        }

        return (errors.Count == 0 ? options : null, directory, ConfigLoader.Sorted(errors), false);
    }
}
