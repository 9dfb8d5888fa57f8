using System.Security.Cryptography;
using Sensen.Edge.Receiver;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Receiver;

/// <summary>
/// <c>evidence open</c> on package files made with the real sealer: a good package opens to the clip's exact bytes;
/// a flipped ciphertext byte, another device's key, a truncated file or an existing output directory is refused
/// and writes nothing.
/// </summary>
internal sealed class EvidenceCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private string _directory = null!;
    private string _cityKey = null!;
    private string _deviceKey = null!;
    private byte[] _clip = null!;
    private byte[] _package = null!;

    [OneTimeSetUp]
    public async Task Seal()
    {
        _directory = Directory.CreateTempSubdirectory("sensen-evidence-open-").FullName;
        using var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _cityKey = Path.Combine(_directory, "city-private.pem");
        _deviceKey = Path.Combine(_directory, "device-public.pem");
        await File.WriteAllTextAsync(_cityKey, city.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(_deviceKey, device.ExportSubjectPublicKeyInfoPem());

        _clip = VaultTestEnvironment.Clip(150_000); // three sealing chunks
        var evidence = await new EvidenceSealer(city, device, "unit-1").SealAsync(Guid.CreateVersion7(Now), VaultTestEnvironment.Metadata(Now), Now, new MemoryStream(_clip), CancellationToken.None);
        using var package = new MemoryStream();
        EvidencePackageFile.WriteHeader(package, evidence.ManifestJson.Span, evidence.Signature.Span, evidence.Manifest.Clip.SealedBytes);
        foreach (var chunk in evidence.Chunks)
        {
            package.Write(chunk);
        }

        _package = package.ToArray();
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_directory, recursive: true);

    private async Task<(int Code, string Stdout, string Stderr, string Out)> OpenAsync(byte[] package, string? deviceKey = null, string? output = null)
    {
        var input = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".pkg");
        await File.WriteAllBytesAsync(input, package);
        output ??= Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await EvidenceCommand.OpenAsync(_cityKey, deviceKey ?? _deviceKey, input, output, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString(), output);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task OpenAsync_GoodPackage_WritesTheClipAndItsSignedManifest()
    {
        var (code, stdout, stderr, output) = await OpenAsync(_package);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("verified"));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(output, "clip.mp4")), Is.EqualTo(_clip));
        Assert.That(File.Exists(Path.Combine(output, "manifest.json")) && File.Exists(Path.Combine(output, "manifest.sig")), Is.True);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task OpenAsync_CiphertextByteFlipped_RefusedAndNothingWritten()
    {
        var tampered = (byte[])_package.Clone();
        tampered[^100] ^= 1;

        var (code, _, stderr, output) = await OpenAsync(tampered);

        Assert.That(code, Is.EqualTo(65));
        Assert.That(stderr, Does.Contain("fails authentication").And.Contain("nothing was written"));
        Assert.That(Directory.Exists(output), Is.False);
        Assert.That(Directory.EnumerateDirectories(_directory, ".staging-*"), Is.Empty);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task OpenAsync_AnotherDevicesKey_SignatureRefused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherKey = Path.Combine(_directory, "other-public.pem");
        await File.WriteAllTextAsync(otherKey, other.ExportSubjectPublicKeyInfoPem());

        var (code, _, stderr, output) = await OpenAsync(_package, deviceKey: otherKey);

        Assert.That(code, Is.EqualTo(65));
        Assert.That(stderr, Does.Contain("signature does not verify"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [TestCase(10, "not a Sensen evidence package")]
    [TestCase(-1, "does not have the size its signed manifest states")]
    [CancelAfter(20_000)]
    public async Task OpenAsync_Truncated_Refused(int keep, string message)
    {
        var truncated = _package.AsSpan(0, keep > 0 ? keep : _package.Length - 1).ToArray();

        var (code, _, stderr, output) = await OpenAsync(truncated);

        Assert.That(code, Is.EqualTo(65));
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task OpenAsync_OutputExists_CannotCreateAndLeavesItAlone()
    {
        var existing = Directory.CreateTempSubdirectory("sensen-existing-").FullName;
        try
        {
            var (code, _, stderr, _) = await OpenAsync(_package, output: existing);

            Assert.That(code, Is.EqualTo(73), stderr);
            Assert.That(Directory.EnumerateFileSystemEntries(existing), Is.Empty);
        }
        finally
        {
            Directory.Delete(existing, recursive: true);
        }
    }
}
