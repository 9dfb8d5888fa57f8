using System.Security.Cryptography;

namespace Sensen.Edge.Vault;

/// <summary>
/// Seals one clip: a fresh random content key, chunked AES-256-GCM, the content key wrapped to the
/// city's public key with ephemeral-static ECDH, and the manifest signed with the device key. The
/// content key and the ECDH secrets are wiped before this returns; only the city's private key can
/// recover the clip (docs/PROTOCOL.md).
/// </summary>
internal sealed class EvidenceSealer
{
    private readonly ECDiffieHellman _cityPublicKey;
    private readonly ECDsa _deviceKey;
    private readonly string _deviceId;
    private readonly byte[] _cityPoint;
    private readonly string _cityKeyId;
    private readonly string _deviceKeyId;

    public EvidenceSealer(ECDiffieHellman cityPublicKey, ECDsa deviceKey, string deviceId)
    {
        var city = cityPublicKey.ExportParameters(includePrivateParameters: false);
        if (city.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("the city key must be a P-256 key", nameof(cityPublicKey));
        }

        _cityPublicKey = cityPublicKey;
        _deviceKey = deviceKey;
        _deviceId = deviceId;
        _cityPoint = SealingFormat.Point(city);
        _cityKeyId = SealingFormat.KeyId(cityPublicKey.ExportSubjectPublicKeyInfo());
        _deviceKeyId = SealingFormat.KeyId(deviceKey.ExportSubjectPublicKeyInfo());
    }

    public string DeviceKeyId => _deviceKeyId;

    public async Task<SealedEvidence> SealAsync(Guid evidenceId, EvidenceMetadata metadata, DateTimeOffset sealedAt, Stream clip, CancellationToken cancellationToken)
    {
        var contentKey = RandomNumberGenerator.GetBytes(SealingFormat.KeyBytes);
        try
        {
            var (chunks, clipInfo) = await EncryptAsync(evidenceId, SealingFormat.KeyIdBytes(_deviceKeyId), contentKey, clip, cancellationToken).ConfigureAwait(false);
            var envelope = Wrap(evidenceId, contentKey);
            var manifest = new EvidenceManifest
            {
                Format = EvidenceManifest.CurrentFormat,
                EvidenceId = evidenceId.ToString("D"),
                DeviceId = _deviceId,
                DeviceKeyId = _deviceKeyId,
                CameraId = metadata.CameraId,
                RuleId = metadata.RuleId,
                RuleType = metadata.RuleType,
                EventStart = SealingFormat.Timestamp(metadata.EventStart),
                EventEnd = SealingFormat.Timestamp(metadata.EventEnd),
                ClipStart = SealingFormat.Timestamp(metadata.ClipStart),
                ClipEnd = SealingFormat.Timestamp(metadata.ClipEnd),
                SealedAt = SealingFormat.Timestamp(sealedAt),
                ClockSync = metadata.ClockSync,
                ConfigSha256 = metadata.ConfigSha256,
                ModelSha256 = new SortedDictionary<string, string>(metadata.ModelSha256.ToDictionary(), StringComparer.Ordinal),
                StreamHealth = metadata.StreamHealth,
                ContentType = metadata.ContentType,
                Clip = clipInfo,
                Envelope = envelope,
                Events = metadata.Events,
                Offenders = metadata.Offenders,
                Plate = metadata.Plate,
                Anonymisation = metadata.Anonymisation with
                {
                    MaskedWholeReasons = new SortedDictionary<string, int>(metadata.Anonymisation.MaskedWholeReasons.ToDictionary(), StringComparer.Ordinal),
                    Models = new SortedDictionary<string, string>(metadata.Anonymisation.Models.ToDictionary(), StringComparer.Ordinal),
                },
                Video = metadata.Video,
                SoftwareVersion = metadata.SoftwareVersion,
            };
            var json = CanonicalJson.Serialize(manifest);
            // Low S (docs/PROTOCOL.md): one valid signature per manifest, so a signature cannot be re-encoded into a second valid one.
            var signature = EcdsaLowS.Normalize(_deviceKey.SignData(json, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
            return new SealedEvidence(manifest, json, signature, chunks);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    private static async Task<(List<byte[]> Chunks, ManifestClip Clip)> EncryptAsync(Guid evidenceId, byte[] deviceKeyId, byte[] contentKey, Stream clip, CancellationToken cancellationToken)
    {
        using var aes = new AesGcm(contentKey, SealingFormat.TagBytes);
        using var plainHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sealedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = new List<byte[]>();
        var nonce = new byte[SealingFormat.NonceBytes];

        // Read one chunk ahead: the final flag in the AAD must be known when a chunk is sealed.
        var current = new byte[SealingFormat.ChunkBytes];
        var next = new byte[SealingFormat.ChunkBytes];
        long plainBytes = 0;
        long sealedBytes = 0;
        try
        {
            var currentLength = await ReadFullAsync(clip, current, cancellationToken).ConfigureAwait(false);
            if (currentLength == 0)
            {
                throw new ArgumentException("the clip is empty", nameof(clip));
            }

            for (long index = 0; ; index++)
            {
                var nextLength = currentLength == SealingFormat.ChunkBytes ? await ReadFullAsync(clip, next, cancellationToken).ConfigureAwait(false) : 0;
                var final = nextLength == 0;
                var sealedChunk = new byte[currentLength + SealingFormat.TagBytes];
                SealingFormat.ChunkNonce(index, nonce);
                aes.Encrypt(nonce, current.AsSpan(0, currentLength), sealedChunk.AsSpan(0, currentLength), sealedChunk.AsSpan(currentLength), SealingFormat.ChunkAad(evidenceId, deviceKeyId, index, final));
                plainHash.AppendData(current, 0, currentLength);
                sealedHash.AppendData(sealedChunk);
                plainBytes += currentLength;
                sealedBytes += sealedChunk.Length;
                chunks.Add(sealedChunk);
                if (final)
                {
                    break;
                }

                (current, next) = (next, current);
                currentLength = nextLength;
            }
        }
        finally
        {
            // The plaintext must not linger in freed buffers, whether the seal finished, failed or was cancelled.
            CryptographicOperations.ZeroMemory(current);
            CryptographicOperations.ZeroMemory(next);
        }

        var info = new ManifestClip
        {
            PlaintextSha256 = Convert.ToHexStringLower(plainHash.GetHashAndReset()),
            PlaintextBytes = plainBytes,
            SealedSha256 = Convert.ToHexStringLower(sealedHash.GetHashAndReset()),
            SealedBytes = sealedBytes,
            ChunkBytes = SealingFormat.ChunkBytes,
            ChunkCount = chunks.Count,
        };
        return (chunks, info);
    }

    private ManifestEnvelope Wrap(Guid evidenceId, byte[] contentKey)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var recipient = _cityPublicKey.PublicKey;
        var sharedSecret = ephemeral.DeriveRawSecretAgreement(recipient);
        var ephemeralPoint = SealingFormat.Point(ephemeral.ExportParameters(includePrivateParameters: false));
        var kek = SealingFormat.DeriveKek(sharedSecret, evidenceId, SealingFormat.KeyIdBytes(_deviceKeyId), ephemeralPoint, _cityPoint);
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(SealingFormat.NonceBytes);
            var wrapped = new byte[SealingFormat.KeyBytes + SealingFormat.TagBytes];
            using (var aes = new AesGcm(kek, SealingFormat.TagBytes))
            {
                aes.Encrypt(nonce, contentKey, wrapped.AsSpan(0, SealingFormat.KeyBytes), wrapped.AsSpan(SealingFormat.KeyBytes), SealingFormat.WrapAad(evidenceId, SealingFormat.KeyIdBytes(_deviceKeyId)));
            }

            return new ManifestEnvelope
            {
                Algorithm = SealingFormat.Algorithm,
                EphemeralPublicKey = Convert.ToBase64String(ephemeral.ExportSubjectPublicKeyInfo()),
                RecipientKeyId = _cityKeyId,
                WrapNonce = Convert.ToBase64String(nonce),
                WrappedKey = Convert.ToBase64String(wrapped),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private static async Task<int> ReadFullAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
