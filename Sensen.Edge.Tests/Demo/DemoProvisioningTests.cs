using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using Sensen.Edge.Configuration;
using Sensen.Edge.Demo;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Tests.Demo;

/// <summary>The demo's unit and city: what the configuration names is there, and the certificates work against the demo broker.</summary>
internal sealed class DemoProvisioningTests
{
    private static readonly Uri Broker = new("mqtts://localhost:48883");

    [Test]
    [CancelAfter(60_000)]
    public async Task Provision_RtspCamera_CheckConfigPassesWithEveryCredential(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-demo-prov-").FullName;
        try
        {
            var unit = DemoProvisioning.Provision(directory, SceneYaml(directory), "rtsp://127.0.0.1:8554/cam", Broker, RepoPaths.Models, 30);

            // check-config with the credentials directory the file names: every credential exists, 0600, and every model matches its manifest.
            var (code, stdout, stderr) = await DaemonProcess.RunAsync(["check-config", unit.ConfigPath], cancellationToken);
            Assert.That(code, Is.Zero, stdout + stderr);

            var loaded = ConfigLoader.Load(unit.ConfigPath);
            Assert.That(loaded.IsValid, Is.True);
            var options = loaded.Config!.Options;
            Assert.That(options.Device.Id, Is.EqualTo(DemoProvisioning.DeviceId));
            Assert.That(options.Device.StateDirectory, Is.EqualTo(unit.StateDirectory));
            Assert.That(options.Device.CredentialsDirectory, Is.EqualTo(unit.CredentialsDirectory));
            Assert.That(options.Cameras.Single().Ingest.Url, Is.EqualTo("rtsp://127.0.0.1:8554/cam"));
            Assert.That(File.ReadAllText(unit.ConfigPath), Does.Not.Contain("replay:"), "a live stream sets its own pace");
            Assert.That(options.Uplink.Enabled, Is.True);
            Assert.That(options.Uplink.Broker, Is.EqualTo("mqtts://localhost:48883"));
            Assert.That(options.Uplink.CaFile, Is.EqualTo(unit.CaFile));
            Assert.That(options.Uplink.ClientCertificate, Does.StartWith(unit.UnitDirectory));
            Assert.That(options.Vault.CityPublicKey, Does.StartWith(unit.UnitDirectory));
            Assert.That(options.Recording.PreRollSeconds, Is.EqualTo(30), "the frame pool holds the whole scene");
            Assert.That(options.Privacy.PlateDetector, Is.EqualTo("vehicle-plates"));
            Assert.That(options.Privacy.PlateRecognizer, Is.EqualTo("ppocr-v4-rec"));
            Assert.That(options.Detectors.Single(d => d.Id == "vehicle-plates").CropsOf, Is.EqualTo(new[] { "bicycle" }), "the text detector runs on the clip path only");

            // The city: the device's public key is the credential's, and the receiver's certificate chains to the demo CA as a client.
            using var device = ECDsa.Create();
            device.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(unit.CredentialsDirectory, "device-key"), cancellationToken));
            Assert.That(await File.ReadAllTextAsync(Path.Combine(unit.DevicesDirectory, DemoProvisioning.DeviceId + ".pem"), cancellationToken), Is.EqualTo(device.ExportSubjectPublicKeyInfoPem() + "\n"));
            Assert.That(File.GetUnixFileMode(unit.ReceiverKeyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(unit.CaFile, cancellationToken));
            using var receiver = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(unit.ReceiverCertificateFile, cancellationToken));
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
            Assert.That(chain.Build(receiver), Is.True, "the receiver's client certificate chains to the demo CA");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Provision_FileCamera_DeviceAndReceiverConnectToTheBrokerMadeFromIt(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-demo-prov-").FullName;
        try
        {
            var port = DemoBroker.FreeLoopbackPort();
            File.WriteAllBytes(Path.Combine(directory, "scene.mp4"), []); // the configuration check wants the replay file to exist; nothing reads it here
            var unit = DemoProvisioning.Provision(directory, SceneYaml(directory), new Uri(Path.Combine(directory, "scene.mp4")).AbsoluteUri, new Uri($"mqtts://localhost:{port}"), RepoPaths.Models, 12);
            Assert.That(File.ReadAllText(unit.ConfigPath), Does.Contain("replay: realtime"));

            using var brokerCertificate = UplinkCredentials.LoadClientCertificate(unit.BrokerCertificateFile, "broker", await File.ReadAllTextAsync(unit.BrokerKeyFile, cancellationToken), "broker-key");
            var trust = UplinkCredentials.LoadTrustRoots(unit.CaFile, "ca_file");
            await using var broker = await DemoBroker.StartAsync(brokerCertificate, trust[0], port, cancellationToken);
            var loaded = ConfigLoader.Load(unit.ConfigPath);
            using var deviceCertificate = UplinkCredentials.LoadClientCertificate(loaded.Config!.Options.Uplink.ClientCertificate!, "client_certificate",
                await File.ReadAllTextAsync(Path.Combine(unit.CredentialsDirectory, loaded.Config.Options.Uplink.ClientKeyCredential), cancellationToken), "mqtt-client-key");
            using var receiverCertificate = UplinkCredentials.LoadClientCertificate(unit.ReceiverCertificateFile, "receiver", await File.ReadAllTextAsync(unit.ReceiverKeyFile, cancellationToken), "receiver-key");
            foreach (var (id, certificate) in new[] { (DemoProvisioning.DeviceId, deviceCertificate), ("demo-city-receiver", receiverCertificate) })
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                var connack = await client.ConnectAsync(new MqttClientOptionsBuilder()
                    .WithTcpServer("localhost", port)
                    .WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithClientId(id)
                    .WithTimeout(TimeSpan.FromSeconds(5))
                    .WithTlsOptions(tls => tls.UseTls().WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13).WithTargetHost("localhost")
                        .WithTrustChain(trust).WithRevocationMode(X509RevocationMode.NoCheck).WithClientCertificates([certificate]))
                    .Build(), cancellationToken);
                Assert.That(connack.ResultCode, Is.EqualTo(MqttClientConnectResultCode.Success), id);
                await client.DisconnectAsync(cancellationToken: cancellationToken);
            }

            Assert.That(broker.RefusedClients, Is.Zero);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The composed scene's configuration; its text depends on the spec alone (no clip needs composing).</summary>
    private static string SceneYaml(string directory) =>
        SceneConfig.Yaml(new SceneSpec { Fps = 5, FaceApiDemo = Path.Combine(RepoPaths.Cache, "npm", "face-api", "demo") }, Path.Combine(directory, "scene.mp4"));
}
