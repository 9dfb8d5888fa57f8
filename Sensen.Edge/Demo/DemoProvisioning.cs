using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sensen.Edge.Cli;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Demo;

/// <summary>
/// The demo's unit and city, provisioned as a developer would with <c>keys dev-unit</c> (<see cref="DevUnit"/>,
/// the same code): the demo writes the unit's configuration (the scene's camera, zones, rules and detectors, a
/// vault, the uplink on to the demo broker), and <see cref="DevUnit.Provision"/> writes every credential it names,
/// the city's key pairs, a demo CA with the device's client certificate and the broker's certificate, and the copy
/// of the configuration pointed at them. The city side then gets what the reference receiver needs: its own client
/// certificate from the same CA and the device's public key.
/// </summary>
internal static class DemoProvisioning
{
    public const string DeviceId = "demo-unit";
    public const string TopicPrefix = "sensen";

    /// <summary>Writes the unit into <c>DIR/unit</c> and the city into <c>DIR/city</c>. Throws <see cref="SceneException"/> with what went wrong.</summary>
    /// <param name="sceneYaml">The composed scene's configuration (<see cref="SceneConfig.Yaml"/>).</param>
    /// <param name="cameraUrl">Where the daemon reads the scene (<see cref="DemoCamera.Url"/>).</param>
    /// <param name="preRollSeconds">The scene's length: the pre-roll ring, and with it the camera's frame pool, then holds the whole scene (see <see cref="Yaml"/>).</param>
    public static DemoUnit Provision(string directory, string sceneYaml, string cameraUrl, Uri broker, string modelsDirectory, double preRollSeconds)
    {
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var template = Path.Combine(root, "demo-template.yaml");
        File.WriteAllText(template, Yaml(sceneYaml, cameraUrl, broker, modelsDirectory, preRollSeconds));

        var unitDirectory = Path.Combine(root, "unit");
        var messages = new StringWriter(CultureInfo.InvariantCulture);
        var code = DevUnit.Provision(unitDirectory, template, TextWriter.Null, messages);
        if (code != ExitCodes.Ok)
        {
            throw new SceneException($"provisioning the demo unit failed (exit {code}): {messages.ToString().Trim()}");
        }

        var unit = new DemoUnit(root);
        Directory.CreateDirectory(unit.DevicesDirectory);
        Directory.CreateDirectory(unit.ReceivedDirectory);

        // The city learns the device's public key at enrolment; here it is taken from the credential just written.
        using (var device = ECDsa.Create())
        {
            device.ImportFromPem(File.ReadAllText(Path.Combine(unit.CredentialsDirectory, "device-key")));
            Write(unit.DevicesDirectory, (DeviceId + ".pem", device.ExportSubjectPublicKeyInfoPem(), KeysCommand.PublicMode));
        }

        // The receiver's client certificate, from the demo CA that also issued the device's and the broker's.
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(unit.CaKeyFile));
        using var caPublic = X509Certificate2.CreateFromPem(File.ReadAllText(unit.CaFile));
        using var ca = caPublic.CopyWithPrivateKey(caKey);
        using var receiverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var receiverCertificate = DevUnit.Issue(ca, receiverKey, "CN=demo-city-receiver", server: false, broker.Host);
        Write(unit.CityDirectory,
            (Path.GetFileName(unit.ReceiverCertificateFile), receiverCertificate.ExportCertificatePem(), KeysCommand.PublicMode),
            (Path.GetFileName(unit.ReceiverKeyFile), receiverKey.ExportPkcs8PrivateKeyPem(), KeysCommand.PrivateMode));
        return unit;
    }

    /// <summary>
    /// The unit's configuration before <c>keys dev-unit</c> points its machine paths into the unit's directory: the
    /// scene's camera, zones and rules, its detector cascade with the plate detector on the clip path only, a
    /// post-roll of 6 s (so that the scene's three offences merge into one clip), and the uplink to the demo broker
    /// with telemetry every 5 s. The pre-roll is the scene's length because it sizes the camera's frame pool
    /// (docs/PIPELINE.md, FrameBudget): on two cores the clip path takes about a second a frame, slower than the
    /// frames arrive, and the frames a clip holds while they wait for it come from that pool; with the default 5 s it
    /// ran dry within seconds of the first clip opening and the live path dropped the frames in which the later
    /// offences are decided. A clip still starts no earlier than the frames the ring holds (the scene's first, or a
    /// few of the RTSP lead-in's).
    /// </summary>
    internal static string Yaml(string sceneYaml, string cameraUrl, Uri broker, string modelsDirectory, double preRollSeconds)
    {
        var scene = new StringBuilder();
        foreach (var line in sceneYaml.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("url: ", StringComparison.Ordinal))
            {
                scene.Append(line[..(line.Length - trimmed.Length)]).Append("url: ").Append(cameraUrl).Append('\n');
            }
            else if (trimmed.StartsWith("replay: ", StringComparison.Ordinal) && !cameraUrl.StartsWith("file:", StringComparison.Ordinal))
            {
                // A live stream sets its own pace; replay is for files.
            }
            else if (line.Length > 0)
            {
                scene.Append(line).Append('\n');
            }
        }

        // docs/DEMO-SCENE.md: the text detector on vehicle crops costs ~0.7 s a frame on the live path; the clip path runs
        // it on every vehicle of every clip frame (privacy.plate_detector), so its live crops are of a class the scene lacks.
        var generated = scene.ToString()
            .Replace("model: ppocr-v4-det, crops_of: [vehicle] }", "model: ppocr-v4-det, crops_of: [bicycle] }  # clip path only (privacy.plate_detector)", StringComparison.Ordinal)
            .Replace("  plate_detector: vehicle-plates\n", "  plate_detector: vehicle-plates\n  plate_recognizer: ppocr-v4-rec\n", StringComparison.Ordinal);
        if (!generated.Contains("crops_of: [bicycle]", StringComparison.Ordinal) || !generated.Contains("plate_recognizer", StringComparison.Ordinal))
        {
            throw new SceneException("the scene's generated configuration changed shape; the demo's detector set-up no longer applies");
        }

        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $$"""
            # Generated by sensen-edge demo: a demo unit on the composed street scene, the uplink on to the demo's own broker.
            # Machine paths are pointed into this directory by keys dev-unit (DevUnit); never use these keys on a deployed unit.
            device:
              id: {{DeviceId}}
              site: "Demo: composed street scene"
              state_directory: /var/lib/sensen-edge
              time_zone: UTC
              shutdown_timeout_seconds: 15
            {{generated.TrimEnd('\n')}}
            inference:
              providers: [cpu]
              models_directory: {{modelsDirectory}}
            recording:
              pre_roll_seconds: {{Math.Ceiling(preRollSeconds)}}
              post_roll_seconds: 6
              max_clip_seconds: 60
              encoder: libx264
              clip_memory_megabytes_per_camera: 1024   # the whole scene and its post-roll (made on first use): no clip is cut
            vault:
              city_public_key: /etc/sensen-edge/city-public.pem
              city_ack_public_key: /etc/sensen-edge/city-ack-public.pem
            uplink:
              enabled: true
              broker: {{broker.AbsoluteUri.TrimEnd('/')}}
              ca_file: /etc/sensen-edge/city-ca.pem
              client_certificate: /etc/sensen-edge/device-cert.pem
              topic_prefix: {{TopicPrefix}}
            telemetry:
              interval_seconds: 5
              log_level: information

            """);
    }

    private static void Write(string directory, params (string Name, string Pem, UnixFileMode Mode)[] files)
    {
        var messages = new StringWriter(CultureInfo.InvariantCulture);
        if (KeysCommand.Write("demo", directory, TextWriter.Null, messages, files) != ExitCodes.Ok)
        {
            throw new SceneException(messages.ToString().Trim());
        }
    }
}
