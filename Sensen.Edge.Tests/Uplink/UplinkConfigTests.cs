using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tests.Uplink;

/// <summary>Every <c>uplink.*</c> and receiver-file message, pinned word for word with its position, each from a file with one mistake.</summary>
public sealed class UplinkConfigTests
{
    private const string Camera = "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n";

    [TestCase("uplink:\n  broker: 'mqtts://h:8883/x'\n", "6:11 uplink.broker: 'mqtts://h:8883/x' has a path or query; write only mqtts://host:port")]
    [TestCase("uplink:\n  topic_prefix: '$SYS'\n", "6:17 uplink.topic_prefix: '$SYS' starts with '$', which brokers reserve for their own topics")]
    [TestCase("uplink:\n  topic_prefix: '/city'\n", "6:17 uplink.topic_prefix: '/city' is not a topic prefix (no wildcards '+' '#', no leading or trailing '/')")]
    [TestCase("uplink:\n  bandwidth_bytes_per_second: 100\n", "6:31 uplink.bandwidth_bytes_per_second: 100 bytes per second is below one minimum chunk (1024); write 0 for no cap")]
    [TestCase("uplink:\n  client_certificate: '-----BEGIN PRIVATE KEY-----'\n", "6:23 uplink.client_certificate: a private key is written inline; keys belong in a credential file")]
    [TestCase("uplink:\n  client_key_credential: 'a b'\n", "6:26 uplink.client_key_credential: a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself")]
    [TestCase("uplink:\n  window_chunks: 0\n", "6:18 uplink.window_chunks: 0 is out of range (allowed 1 to 1024)")]
    [TestCase("uplink:\n  chunk_bytes: 1000\n", "6:16 uplink.chunk_bytes: 1000 is out of range (allowed 4096 to 8388608)")]
    [TestCase("uplink:\n  ack_timeout_seconds: 0\n", "6:24 uplink.ack_timeout_seconds: 0 is out of range (allowed 1 to 86400)")]
    [TestCase("uplink:\n  keep_alive_seconds: 1\n", "6:23 uplink.keep_alive_seconds: 1 is out of range (allowed 5 to 3600)")]
    [TestCase("uplink:\n  session_expiry_seconds: 0\n", "6:27 uplink.session_expiry_seconds: 0 is out of range (allowed 60 to 4294967)")]
    [TestCase("uplink:\n  broker: 'mqtt://h:1883'\n  allow_insecure: true\n", null)]
    public void Load_OneUplinkMistake_HasItsPositionedMessage(string uplink, string? expected)
    {
        var (file, errors) = LoadDaemon(Camera + uplink);

        Assert.That(errors, expected is null ? Is.Empty : Is.EqualTo(new[] { $"{file}:{expected}" }));
    }

    [TestCase("broker: 'mqtt://h:1883'\n", "4:9 broker: plaintext mqtt:// is refused; use mqtts:// (or set allow_insecure: true on a development bench)")]
    [TestCase("share_group: 'a/b'\n", "5:14 share_group: 'a/b' is not a valid id (1-64 letters, digits, '.', '-', '_')")]
    [TestCase("client_id: 'x y'\n", "5:12 client_id: 'x y' is not a valid id (1-64 letters, digits, '.', '-', '_')")]
    [TestCase("topic_prefix: 'a/+'\n", "5:15 topic_prefix: 'a/+' is not a topic prefix (no wildcards '+' '#', no leading or trailing '/')")]
    [TestCase("city_key_credential: '../city'\n", "5:22 city_key_credential: a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself")]
    [TestCase("ack_key_credential: 'x y'\n", "5:21 ack_key_credential: a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself")]
    [TestCase("client_key_credential: 'x y'\n", "5:24 client_key_credential: a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself")]
    [TestCase("max_chunk_bytes: 10\n", "5:18 max_chunk_bytes: 10 is out of range (allowed 1024 to 67108864)")]
    [TestCase("ca_file: ~\n", "4:10 ca_file: required for mqtts:// (the CA that signed the broker's certificate)")]
    [TestCase("client_certificate: ~\n", "4:21 client_certificate: required for mqtts:// (the receiver authenticates with it)")]
    [TestCase("device_keys_directory: nowhere\n", "4:24 device_keys_directory: no such directory: {dir}/nowhere (one DEVICE-ID.pem public key per device)")]
    [TestCase("shared_group: a\n", "5:1 shared_group: unknown key 'shared_group' (did you mean 'share_group'?)")]
    [TestCase("", null)]
    public void LoadReceiver_OneMistake_HasItsPositionedMessage(string line, string? expected)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-rx-cfg-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "devices"));
            // The mistake comes last, so a key it repeats overrides nothing: YAML refuses duplicate keys, so it replaces the line.
            var lines = new List<string> { "broker: mqtts://localhost:8883", "ca_file: ca.pem", "client_certificate: rx.pem", "device_keys_directory: devices" };
            var key = line.Split(':')[0];
            lines.RemoveAll(l => l.StartsWith(key + ":", StringComparison.Ordinal));
            var path = Path.Combine(dir, "receiver.yaml");
            File.WriteAllText(path, string.Join('\n', lines) + "\n" + line);

            var (options, _, errors, _) = ReceiverConfigLoader.Load(path);

            Assert.That(errors.Select(e => e.ToString()), expected is null ? Is.Empty : Is.EqualTo(new[] { $"{path}:{expected.Replace("{dir}", dir, StringComparison.Ordinal)}" }));
            Assert.That(options is null, Is.EqualTo(expected is not null));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (string File, List<string> Errors) LoadDaemon(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-uplink-cfg-");
        try
        {
            var path = Path.Combine(dir.FullName, "edge.yaml");
            File.WriteAllText(path, yaml);
            return (path, ConfigLoader.Load(path).Errors.Select(e => e.ToString()).ToList());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
