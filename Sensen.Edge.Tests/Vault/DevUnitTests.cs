using System.Security.Cryptography.X509Certificates;
using Sensen.Edge.Cli;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary><c>keys dev-unit</c>: a newcomer's first run needs no hand work.</summary>
internal sealed class DevUnitTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Provision_ExampleConfig_CheckConfigPasses(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sensen-dev-").FullName;
        try
        {
            var unit = Path.Combine(directory, "unit");
            var (code, stdout, stderr) = await DaemonProcess.RunAsync(["keys", "dev-unit", "--out", unit, "--config", RepoPaths.ExampleConfig], cancellationToken);
            Assert.That(code, Is.Zero, stderr);
            Assert.That(stdout, Does.Contain(Path.Combine(unit, "credentials", "device-key")));

            var config = Path.Combine(unit, DevUnit.ConfigFile);
            (code, stdout, stderr) = await DaemonProcess.RunAsync(["check-config", config], cancellationToken);
            Assert.That(code, Is.Zero, stdout + stderr);
            Assert.That(stdout + stderr, Does.Contain("valid"));

            foreach (var secret in new[] { "credentials/device-key", "credentials/vault-db-key", "credentials/vault-storage-key", "credentials/mqtt-client-key", "credentials/cam-north", "city-private.pem", "city-ack.pem", "city-ca-key.pem", "broker-key.pem" })
            {
                Assert.That(File.GetUnixFileMode(Path.Combine(unit, secret)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), secret);
            }

            // The certificates the uplink needs: the device's client certificate and the broker's chain to the test CA.
            using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(unit, DevUnit.CaFile), cancellationToken));
            using var device = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(unit, DevUnit.DeviceCertificateFile), cancellationToken));
            using var broker = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(unit, DevUnit.BrokerCertificateFile), cancellationToken));
            Assert.That(device.Subject, Is.EqualTo("CN=unit-0042"));
            Assert.That(broker.Issuer, Is.EqualTo(ca.Subject));
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.That(chain.Build(device), Is.True, "the device certificate chains to the test CA");
            Assert.That(await File.ReadAllTextAsync(Path.Combine(unit, "credentials", "cam-north"), cancellationToken), Is.EqualTo(DevUnit.CameraPlaceholder + "\n"));

            // Twice: key material is never overwritten.
            (code, _, stderr) = await DaemonProcess.RunAsync(["keys", "dev-unit", "--out", unit, "--config", RepoPaths.ExampleConfig], cancellationToken);
            Assert.That(code, Is.EqualTo(ExitCodes.CannotCreate));
            Assert.That(stderr, Does.Contain("refusing to overwrite"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
