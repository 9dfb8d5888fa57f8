using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>The city side refuses every manifest that is signed but not exactly what a sealer writes (docs/PROTOCOL.md, Manifest).</summary>
[TestFixture]
internal sealed class ManifestStrictnessTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private static ECDsa _device = null!;
    private static ECDiffieHellman _city = null!;
    private static string _json = null!;

    [OneTimeSetUp]
    public static async Task SealOnce()
    {
        _device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var sealer = new EvidenceSealer(_city, _device, "unit-1");
        var evidence = await sealer.SealAsync(Guid.CreateVersion7(Now), VaultTestEnvironment.Metadata(Now), Now, new MemoryStream(VaultTestEnvironment.Clip(1000)), CancellationToken.None);
        _json = Encoding.UTF8.GetString(evidence.ManifestJson.Span);
    }

    [OneTimeTearDown]
    public static void TearDown()
    {
        _device.Dispose();
        _city.Dispose();
    }

    [Test]
    public void Verify_AsSealed_Accepted() => Assert.That(EvidenceOpener.Verify(Encoding.UTF8.GetBytes(_json), Sign(_json), _device).Format, Is.EqualTo("sensen-evidence/4"));

    private static readonly object[] Mangled =
    [
        new object[] { "duplicate member", (Func<string, string>)(j => j.Replace("\"content_type\":", "\"content_type\":\"video/mp4\",\"content_type\":", StringComparison.Ordinal)), null! },
        new object[] { "format missing", (Func<string, string>)(j => j.Replace("\"format\":\"sensen-evidence/4\",", "", StringComparison.Ordinal)), null! },
        new object[] { "whitespace", (Func<string, string>)(j => j.Replace("\"content_type\":", "\"content_type\": ", StringComparison.Ordinal)), "manifest bytes are not canonical JSON" },
        new object[] { "escaped ascii", (Func<string, string>)(j => j.Replace("video/mp4", "video\\/mp4", StringComparison.Ordinal)), "manifest bytes are not canonical JSON" },
        new object[] { "upper-case id", (Func<string, string>)(j => UpperId(j)), "manifest field 'evidence_id' is not a lower-case UUIDv7" },
        new object[] { "negative counter", (Func<string, string>)(j => j.Replace("\"frames_dropped\":2", "\"frames_dropped\":-2", StringComparison.Ordinal)), "manifest has a negative counter" },
        new object[] { "not a timestamp", (Func<string, string>)(j => ReplaceValue(j, "sealed_at", "2026-11-28T08:00:00Z")), "manifest field 'sealed_at' is not a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffffffZ" },
        new object[] { "format 4 without frames_lost_to_clip_memory", (Func<string, string>)(j => WithoutClipMemoryMember(j)), "manifest field 'stream_health.frames_lost_to_clip_memory' is missing" },
        new object[] { "format 3 with frames_lost_to_clip_memory", (Func<string, string>)(j => j.Replace("\"format\":\"sensen-evidence/4\"", "\"format\":\"sensen-evidence/3\"", StringComparison.Ordinal)), "manifest field 'stream_health.frames_lost_to_clip_memory' is not defined in sensen-evidence/3" },
        new object[] { "a later format", (Func<string, string>)(j => j.Replace("\"format\":\"sensen-evidence/4\"", "\"format\":\"sensen-evidence/5\"", StringComparison.Ordinal)), "manifest format 'sensen-evidence/5' is not supported" },
        new object[] { "upper-case hex", (Func<string, string>)(j => ReplaceValue(j, "config_sha256", new string('C', 64))), "manifest field 'config_sha256' is not 64 lower-case hex digits" },
    ];

    /// <summary>A unit upgraded with items still queued delivers them as they were sealed: format 3, before the clip memory member.</summary>
    [Test]
    public void Verify_Format3WithoutTheClipMemoryMember_Accepted()
    {
        var json = WithoutClipMemoryMember(_json).Replace("\"format\":\"sensen-evidence/4\"", "\"format\":\"sensen-evidence/3\"", StringComparison.Ordinal);
        var manifest = EvidenceOpener.Verify(Encoding.UTF8.GetBytes(json), Sign(json), _device);
        Assert.That((manifest.Format, manifest.StreamHealth.FramesLostToClipMemory), Is.EqualTo(("sensen-evidence/3", (long?)null)));
    }

    private static string WithoutClipMemoryMember(string json)
    {
        var stripped = System.Text.RegularExpressions.Regex.Replace(json, "\"frames_lost_to_clip_memory\":0,|,\"frames_lost_to_clip_memory\":0", "");
        Assert.That(stripped, Has.Length.EqualTo(json.Length - "\"frames_lost_to_clip_memory\":0,".Length), "the member was there once");
        return stripped;
    }

    [TestCaseSource(nameof(Mangled))]
    public void Verify_SignedButNotWhatASealerWrites_Rejected(string what, Func<string, string> mangle, string? message)
    {
        var json = mangle(_json);
        Assert.That(json, Is.Not.EqualTo(_json), what + ": the mangling applied");

        var ex = Assert.Throws<EvidenceRejectedException>(() => EvidenceOpener.Verify(Encoding.UTF8.GetBytes(json), Sign(json), _device));

        if (message is not null)
        {
            Assert.That(ex!.Message, Is.EqualTo(message), what);
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task OpenAsync_ManifestResignedByAnotherDeviceKey_RefusedThoughTheSignatureVerifies(CancellationToken cancellationToken)
    {
        var sealer = new EvidenceSealer(_city, _device, "unit-1");
        var evidence = await sealer.SealAsync(Guid.CreateVersion7(Now), VaultTestEnvironment.Metadata(Now), Now, new MemoryStream(VaultTestEnvironment.Clip(5000)), cancellationToken);
        using var thief = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var original = Encoding.UTF8.GetString(evidence.ManifestJson.Span);
        var json = original.Replace(SealingFormat.KeyId(_device.ExportSubjectPublicKeyInfo()), SealingFormat.KeyId(thief.ExportSubjectPublicKeyInfo()), StringComparison.Ordinal);
        Assert.That(json, Is.Not.EqualTo(original));
        var signature = EcdsaLowS.Normalize(thief.SignData(Encoding.UTF8.GetBytes(json), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        var manifest = EvidenceOpener.Verify(Encoding.UTF8.GetBytes(json), signature, thief);
        var blob = new MemoryStream();
        foreach (var chunk in evidence.Chunks)
        {
            blob.Write(chunk);
        }

        blob.Position = 0;
        await Assert.ThrowsAsync<EvidenceRejectedException>(() => new EvidenceOpener(_city).OpenAsync(manifest, blob, new MemoryStream(), cancellationToken), "the clip is bound to the key id that sealed it");
    }

    [Test]
    public void Verify_HighSTwinOfTheSignature_Rejected()
    {
        var signature = Sign(_json);
        var order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var twin = signature[..32].Concat((order - new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true)).ToByteArray(isUnsigned: true, isBigEndian: true)).ToArray();
        Assert.That(_device.VerifyData(Encoding.UTF8.GetBytes(_json), twin, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), Is.True, "plain ECDSA accepts the twin");

        Assert.Throws<EvidenceRejectedException>(() => EvidenceOpener.Verify(Encoding.UTF8.GetBytes(_json), twin, _device));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task SealAsync_Signatures_AreAlwaysLowS(CancellationToken cancellationToken)
    {
        var sealer = new EvidenceSealer(_city, _device, "unit-1");
        for (var i = 0; i < 24; i++)
        {
            var evidence = await sealer.SealAsync(Guid.CreateVersion7(Now), VaultTestEnvironment.Metadata(Now), Now, new MemoryStream(VaultTestEnvironment.Clip(100, i)), cancellationToken);
            Assert.That(EcdsaLowS.IsLowS(evidence.Signature.Span), Is.True);
        }
    }

    private static byte[] Sign(string json) =>
        EcdsaLowS.Normalize(_device.SignData(Encoding.UTF8.GetBytes(json), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    private static string ReplaceValue(string json, string member, string value)
    {
        var start = json.IndexOf($"\"{member}\":\"", StringComparison.Ordinal) + member.Length + 4;
        var end = json.IndexOf('"', start);
        return json[..start] + value + json[end..];
    }

    private static string UpperId(string json)
    {
        var start = json.IndexOf("\"evidence_id\":\"", StringComparison.Ordinal) + 15;
        return json[..start] + json.Substring(start, 36).ToUpperInvariant() + json[(start + 36)..];
    }
}
