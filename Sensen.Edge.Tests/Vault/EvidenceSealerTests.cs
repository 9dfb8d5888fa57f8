using System.Security.Cryptography;
using System.Text;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

[TestFixture]
internal sealed class EvidenceSealerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private ECDsa _device = null!;
    private ECDiffieHellman _city = null!;
    private ECDiffieHellman _cityPublic = null!;

    [SetUp]
    public void SetUp()
    {
        _device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _cityPublic = ECDiffieHellman.Create();
        _cityPublic.ImportSubjectPublicKeyInfo(_city.ExportSubjectPublicKeyInfo(), out _);
    }

    [TearDown]
    public void TearDown()
    {
        _device.Dispose();
        _city.Dispose();
        _cityPublic.Dispose();
    }

    [TestCase(1)]
    [TestCase(SealingFormat.ChunkBytes)]
    [TestCase((2 * SealingFormat.ChunkBytes) + 12345)]
    [CancelAfter(10_000)]
    public async Task SealAsync_ThenOpenWithCityKey_ReturnsTheSameClip(int length, CancellationToken cancellationToken)
    {
        var clip = RandomNumberGenerator.GetBytes(length);
        var sealedEvidence = await SealAsync(clip, cancellationToken);

        var opened = await OpenAsync(sealedEvidence, Blob(sealedEvidence), cancellationToken);

        Assert.That(opened, Is.EqualTo(clip));
        var manifest = sealedEvidence.Manifest;
        Assert.Multiple(() =>
        {
            Assert.That(manifest.Clip.ChunkCount, Is.EqualTo(Math.Max(1, (length + SealingFormat.ChunkBytes - 1) / SealingFormat.ChunkBytes)));
            Assert.That(manifest.Clip.PlaintextSha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(clip))));
            Assert.That(manifest.Clip.SealedSha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Blob(sealedEvidence)))));
            Assert.That(manifest.Clip.SealedBytes, Is.EqualTo(length + (manifest.Clip.ChunkCount * SealingFormat.TagBytes)));
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SealAsync_Manifest_IsCanonicalSignedJson(CancellationToken cancellationToken)
    {
        var sealedEvidence = await SealAsync(Encoding.ASCII.GetBytes("clip"), cancellationToken);
        var json = Encoding.UTF8.GetString(sealedEvidence.ManifestJson.Span);

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.StartWith("{\"anonymisation\":{\"faces_obscured\":0,"));
            Assert.That(json, Does.Contain(",\"camera_id\":\"cam-1\",\"clip\":{\"chunk_bytes\":65536,\"chunk_count\":1,"));
            Assert.That(json, Does.Contain("\"event_start\":\"2026-11-28T07:59:57.0000000Z\""));
            Assert.That(json, Does.Contain("\"model_sha256\":{\"a-model\":\"" + new string('1', 64) + "\",\"b-model\":"));
            Assert.That(json, Does.Not.Contain(" "));
            Assert.That(CanonicalJson.Serialize(CanonicalJson.Deserialize<EvidenceManifest>(sealedEvidence.ManifestJson.Span)), Is.EqualTo(sealedEvidence.ManifestJson.ToArray()), "re-serialising gives the same bytes");
            Assert.That(EvidenceOpener.Verify(sealedEvidence.ManifestJson.Span, sealedEvidence.Signature.Span, _device), Is.EqualTo(sealedEvidence.Manifest).Using<EvidenceManifest>((a, b) => a.EvidenceId == b.EvidenceId));
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OpenAsync_WithEverythingTheDeviceHolds_CannotDecrypt(CancellationToken cancellationToken)
    {
        var sealedEvidence = await SealAsync(RandomNumberGenerator.GetBytes(1000), cancellationToken);

        // The device holds its own P-256 key and the city's public key. Neither opens the clip.
        using var deviceAsDh = ECDiffieHellman.Create(_device.ExportParameters(includePrivateParameters: true));
        using var stranger = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        foreach (var key in new[] { deviceAsDh, stranger })
        {
            var opener = new EvidenceOpener(key);
            await Assert.ThrowsAsync<EvidenceRejectedException>(() => opener.OpenAsync(sealedEvidence.Manifest, new MemoryStream(Blob(sealedEvidence)), new MemoryStream(), cancellationToken));
        }

        // Even claiming to be the recipient (the key id check bypassed) the wrap does not open without the private key.
        var forged = sealedEvidence.Manifest with { Envelope = sealedEvidence.Manifest.Envelope with { RecipientKeyId = SealingFormat.KeyId(stranger.ExportSubjectPublicKeyInfo()) } };
        var ex = Assert.Throws<EvidenceRejectedException>(() => new EvidenceOpener(stranger).UnwrapContentKey(forged));
        Assert.That(ex!.Message, Does.Contain("cannot be unwrapped"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OpenAsync_FlippedCiphertextBit_Rejected(CancellationToken cancellationToken)
    {
        var sealedEvidence = await SealAsync(RandomNumberGenerator.GetBytes(100_000), cancellationToken);
        var blob = Blob(sealedEvidence);
        blob[70_000] ^= 0x01;

        var ex = await Assert.ThrowsAsync<EvidenceRejectedException>(() => OpenAsync(sealedEvidence, blob, cancellationToken));
        Assert.That(ex!.Message, Does.Contain("chunk 1 fails authentication"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OpenAsync_DroppedFinalChunk_Rejected(CancellationToken cancellationToken)
    {
        var sealedEvidence = await SealAsync(RandomNumberGenerator.GetBytes(3 * SealingFormat.ChunkBytes), cancellationToken);
        var shortened = sealedEvidence.Chunks.Take(2).SelectMany(c => c).ToArray();
        // A forger who keeps the manifest self-consistent: two chunks' worth of sizes.
        var lying = sealedEvidence.Manifest with
        {
            Clip = sealedEvidence.Manifest.Clip with
            {
                ChunkCount = 2,
                PlaintextBytes = 2 * SealingFormat.ChunkBytes,
                SealedBytes = 2 * (SealingFormat.ChunkBytes + SealingFormat.TagBytes),
            },
        };

        await Assert.ThrowsAsync<EvidenceRejectedException>(() => OpenAsync(sealedEvidence, shortened, cancellationToken));
        var ex = await Assert.ThrowsAsync<EvidenceRejectedException>(() => new EvidenceOpener(_city).OpenAsync(lying, new MemoryStream(shortened), new MemoryStream(), cancellationToken));
        Assert.That(ex!.Message, Does.Contain("chunk 1 fails authentication"), "the final flag in the AAD catches a truncation even when the chunk count is forged");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OpenAsync_ChunksSwapped_Rejected(CancellationToken cancellationToken)
    {
        var sealedEvidence = await SealAsync(RandomNumberGenerator.GetBytes(2 * SealingFormat.ChunkBytes + 5), cancellationToken);
        var swapped = sealedEvidence.Chunks[1].Concat(sealedEvidence.Chunks[0]).Concat(sealedEvidence.Chunks[2]).ToArray();

        await Assert.ThrowsAsync<EvidenceRejectedException>(() => OpenAsync(sealedEvidence, swapped, cancellationToken));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Verify_ManifestByteChanged_Rejected(CancellationToken cancellationToken)
    {
        var sealedEvidence = await SealAsync(Encoding.ASCII.GetBytes("clip"), cancellationToken);
        var json = Encoding.UTF8.GetString(sealedEvidence.ManifestJson.Span).Replace("\"rule_id\":\"r-1\"", "\"rule_id\":\"r-2\"", StringComparison.Ordinal);

        var ex = Assert.Throws<EvidenceRejectedException>(() => EvidenceOpener.Verify(Encoding.UTF8.GetBytes(json), sealedEvidence.Signature.Span, _device));
        Assert.That(ex!.Message, Is.EqualTo("manifest signature does not verify with the device key (or is not in low-S form)"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Verify_OtherDeviceKey_Rejected(CancellationToken cancellationToken)
    {
        var sealedEvidence = await SealAsync(Encoding.ASCII.GetBytes("clip"), cancellationToken);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Throws<EvidenceRejectedException>(() => EvidenceOpener.Verify(sealedEvidence.ManifestJson.Span, sealedEvidence.Signature.Span, other));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OpenAsync_BlobFromAnotherClip_Rejected(CancellationToken cancellationToken)
    {
        var first = await SealAsync(RandomNumberGenerator.GetBytes(500), cancellationToken);
        var second = await SealAsync(RandomNumberGenerator.GetBytes(500), cancellationToken);

        await Assert.ThrowsAsync<EvidenceRejectedException>(() => OpenAsync(first, Blob(second), cancellationToken));
    }

    [Test]
    [CancelAfter(10_000)]
    public void SealAsync_CancelledMidClip_PlaintextBuffersWiped(CancellationToken cancellationToken)
    {
        var source = new CancellingClipStream(VaultTestEnvironment.Clip(SealingFormat.ChunkBytes));
        var sealer = new EvidenceSealer(_cityPublic, _device, "unit-1");

        Assert.CatchAsync<OperationCanceledException>(() => sealer.SealAsync(Guid.CreateVersion7(Now), VaultTestEnvironment.Metadata(Now), Now, source, cancellationToken));

        Assert.That(source.Buffers, Is.Not.Empty);
        Assert.That(source.Buffers.All(b => b.Span.IndexOfAnyExcept((byte)0) < 0), Is.True, "every buffer the clip was read into is zero after the failure");
    }

    private async Task<SealedEvidence> SealAsync(byte[] clip, CancellationToken cancellationToken)
    {
        var sealer = new EvidenceSealer(_cityPublic, _device, "unit-1");
        var metadata = VaultTestEnvironment.Metadata(Now, "cam-1") with
        {
            RuleId = "r-1",
            ModelSha256 = new Dictionary<string, string> { ["b-model"] = new string('2', 64), ["a-model"] = new string('1', 64) },
        };
        return await sealer.SealAsync(Guid.CreateVersion7(Now), metadata, Now, new MemoryStream(clip), cancellationToken);
    }

    private async Task<byte[]> OpenAsync(SealedEvidence sealedEvidence, byte[] blob, CancellationToken cancellationToken)
    {
        var output = new MemoryStream();
        await new EvidenceOpener(_city).OpenAsync(sealedEvidence.Manifest, new MemoryStream(blob), output, cancellationToken);
        return output.ToArray();
    }

    private static byte[] Blob(SealedEvidence sealedEvidence) => sealedEvidence.Chunks.SelectMany(c => c).ToArray();

    /// <summary>Delivers one full chunk of clip, then fails as a cancelled read does; keeps the buffers it was given.</summary>
    private sealed class CancellingClipStream(byte[] first) : Stream
    {
        private bool _delivered;

        public List<Memory<byte>> Buffers { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Buffers.Add(buffer);
            if (_delivered)
            {
                throw new OperationCanceledException("the recording stopped");
            }

            _delivered = true;
            first.CopyTo(buffer);
            return ValueTask.FromResult(first.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
