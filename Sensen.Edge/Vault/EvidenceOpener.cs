using System.Security.Cryptography;
using System.Text.Json;

namespace Sensen.Edge.Vault;

/// <summary>
/// The city side of <see cref="EvidenceSealer"/>: verify the device's signature on the manifest, then
/// unwrap the content key with the city's private key and decrypt, checking every tag and both hashes.
/// Pure: no files, no clock. The reference receiver reuses it.
/// </summary>
internal sealed class EvidenceOpener
{
    private readonly ECDiffieHellman _cityPrivateKey;
    private readonly byte[] _cityPoint;
    private readonly string _cityKeyId;

    public EvidenceOpener(ECDiffieHellman cityPrivateKey)
    {
        _cityPrivateKey = cityPrivateKey;
        _cityPoint = SealingFormat.Point(cityPrivateKey.ExportParameters(includePrivateParameters: false));
        _cityKeyId = SealingFormat.KeyId(cityPrivateKey.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Checks the signature over the exact bytes received, then parses them. Never re-serialises.</summary>
    public static EvidenceManifest Verify(ReadOnlySpan<byte> manifestJson, ReadOnlySpan<byte> signature, ECDsa devicePublicKey)
    {
        if (!EcdsaLowS.IsLowS(signature) || !devicePublicKey.VerifyData(manifestJson, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new EvidenceRejectedException("manifest signature does not verify with the device key (or is not in low-S form)");
        }

        EvidenceManifest manifest;
        try
        {
            manifest = CanonicalJson.Deserialize<EvidenceManifest>(manifestJson);
        }
        catch (JsonException e)
        {
            throw new EvidenceRejectedException("manifest is not a valid sensen-evidence document", e);
        }

        // Signed is not the same as well-formed: a buggy or compromised device can sign anything.
        if (MissingField(manifest, "") is { } missing)
        {
            throw new EvidenceRejectedException($"manifest field '{missing}' is missing");
        }

        // One document, one byte form: what a verifier accepts is exactly what the sealer writes (duplicate members,
        // reordered keys, whitespace and escapes are refused), so two parties can never read one signature two ways.
        if (!CanonicalJson.Serialize(manifest).AsSpan().SequenceEqual(manifestJson))
        {
            throw new EvidenceRejectedException("manifest bytes are not canonical JSON");
        }

        if (ManifestRules.Invalid(manifest) is { } problem)
        {
            throw new EvidenceRejectedException("manifest " + problem);
        }

        if (manifest.Format is not (EvidenceManifest.CurrentFormat or EvidenceManifest.PreviousFormat))
        {
            throw new EvidenceRejectedException($"manifest format '{manifest.Format}' is not supported");
        }

        if (manifest.DeviceKeyId != SealingFormat.KeyId(devicePublicKey.ExportSubjectPublicKeyInfo()))
        {
            throw new EvidenceRejectedException("manifest names a different device key");
        }

        return manifest;
    }

    /// <summary>
    /// Decrypts a sealed blob into <paramref name="plaintext"/>. On any exception the output is
    /// incomplete or unauthenticated and must be discarded (write to a temporary place, publish on success).
    /// </summary>
    public async Task OpenAsync(EvidenceManifest manifest, Stream sealedBlob, Stream plaintext, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(manifest.EvidenceId, "D", out var evidenceId))
        {
            throw new EvidenceRejectedException("manifest evidence id is not a UUID");
        }

        var clip = manifest.Clip;
        if (manifest.Envelope.Algorithm != SealingFormat.Algorithm || clip.ChunkBytes != SealingFormat.ChunkBytes || clip.ChunkCount < 1)
        {
            throw new EvidenceRejectedException("unsupported envelope parameters");
        }

        if (clip.PlaintextBytes < 1
            || clip.ChunkCount != (clip.PlaintextBytes + SealingFormat.ChunkBytes - 1) / SealingFormat.ChunkBytes
            || clip.SealedBytes != clip.PlaintextBytes + ((long)clip.ChunkCount * SealingFormat.TagBytes))
        {
            throw new EvidenceRejectedException("clip sizes in the manifest do not agree with each other");
        }

        var deviceKeyId = DeviceKeyIdOf(manifest);
        var contentKey = UnwrapContentKey(manifest);
        try
        {
            using var aes = new AesGcm(contentKey, SealingFormat.TagBytes);
            using var plainHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var sealedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var sealedChunk = new byte[SealingFormat.ChunkBytes + SealingFormat.TagBytes];
            var plain = new byte[SealingFormat.ChunkBytes];
            var nonce = new byte[SealingFormat.NonceBytes];
            long sealedBytes = 0;
            for (long index = 0; index < clip.ChunkCount; index++)
            {
                var final = index == clip.ChunkCount - 1;
                var length = await ReadUpToAsync(sealedBlob, sealedChunk, cancellationToken).ConfigureAwait(false);
                if (length <= SealingFormat.TagBytes || (!final && length != sealedChunk.Length))
                {
                    throw new EvidenceRejectedException($"sealed blob is truncated at chunk {index}");
                }

                var plainLength = length - SealingFormat.TagBytes;
                SealingFormat.ChunkNonce(index, nonce);
                try
                {
                    aes.Decrypt(nonce, sealedChunk.AsSpan(0, plainLength), sealedChunk.AsSpan(plainLength, SealingFormat.TagBytes), plain.AsSpan(0, plainLength), SealingFormat.ChunkAad(evidenceId, deviceKeyId, index, final));
                }
                catch (AuthenticationTagMismatchException e)
                {
                    throw new EvidenceRejectedException($"chunk {index} fails authentication (altered, reordered or from another clip)", e);
                }

                sealedHash.AppendData(sealedChunk, 0, length);
                plainHash.AppendData(plain, 0, plainLength);
                sealedBytes += length;
                await plaintext.WriteAsync(plain.AsMemory(0, plainLength), cancellationToken).ConfigureAwait(false);
            }

            if (await ReadUpToAsync(sealedBlob, sealedChunk.AsMemory(0, 1).ToArray(), cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new EvidenceRejectedException("sealed blob has bytes after its final chunk");
            }

            if (Convert.ToHexStringLower(sealedHash.GetHashAndReset()) != clip.SealedSha256 || sealedBytes != clip.SealedBytes)
            {
                throw new EvidenceRejectedException("sealed blob SHA-256 does not match the manifest");
            }

            if (Convert.ToHexStringLower(plainHash.GetHashAndReset()) != clip.PlaintextSha256)
            {
                throw new EvidenceRejectedException("clip SHA-256 does not match the manifest");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    /// <summary>The first null where the manifest's records need a value (JSON <c>null</c> or an absent key), if any.</summary>
    private static string? MissingField(object node, string path)
    {
        foreach (var property in node.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.PropertyType.IsValueType)
            {
                continue;
            }

            var name = path + Configuration.SnakeCase.From(property.Name);
            switch (property.GetValue(node))
            {
                // An optional member (declared nullable, such as 'plate') may be absent.
                case null when new System.Reflection.NullabilityInfoContext().Create(property).ReadState == System.Reflection.NullabilityState.Nullable:
                    break;
                case null:
                    return name;
                case IReadOnlyDictionary<string, string> map when map.Values.Any(v => v is null):
                    return name;
                case string or System.Collections.IDictionary:
                    break;
                case System.Collections.IEnumerable items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is null)
                        {
                            return $"{name}[{index}]";
                        }

                        if (MissingField(item, $"{name}[{index}].") is { } innerItem)
                        {
                            return innerItem;
                        }

                        index++;
                    }

                    break;
                case { } child:
                    if (MissingField(child, name + ".") is { } inner)
                    {
                        return inner;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Recovers the content key; only the holder of the city private key can.</summary>
    internal byte[] UnwrapContentKey(EvidenceManifest manifest)
    {
        var envelope = manifest.Envelope;
        if (envelope.RecipientKeyId != _cityKeyId)
        {
            throw new EvidenceRejectedException("evidence is sealed to a different city key");
        }

        var evidenceId = Guid.ParseExact(manifest.EvidenceId, "D");
        byte[] sharedSecret;
        byte[] ephemeralPoint;
        try
        {
            using var ephemeral = ECDiffieHellman.Create();
            ephemeral.ImportSubjectPublicKeyInfo(Convert.FromBase64String(envelope.EphemeralPublicKey), out _);
            var parameters = ephemeral.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new EvidenceRejectedException("ephemeral key is not on P-256");
            }

            ephemeralPoint = SealingFormat.Point(parameters);
            using var publicKey = ephemeral.PublicKey;
            sharedSecret = _cityPrivateKey.DeriveRawSecretAgreement(publicKey);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new EvidenceRejectedException("ephemeral public key is malformed", e);
        }

        var kek = SealingFormat.DeriveKek(sharedSecret, evidenceId, DeviceKeyIdOf(manifest), ephemeralPoint, _cityPoint);
        try
        {
            var wrapped = Convert.FromBase64String(envelope.WrappedKey);
            var nonce = Convert.FromBase64String(envelope.WrapNonce);
            if (wrapped.Length != SealingFormat.KeyBytes + SealingFormat.TagBytes || nonce.Length != SealingFormat.NonceBytes)
            {
                throw new EvidenceRejectedException("wrapped key has the wrong size");
            }

            var contentKey = new byte[SealingFormat.KeyBytes];
            using var aes = new AesGcm(kek, SealingFormat.TagBytes);
            aes.Decrypt(nonce, wrapped.AsSpan(0, SealingFormat.KeyBytes), wrapped.AsSpan(SealingFormat.KeyBytes), contentKey, SealingFormat.WrapAad(evidenceId, DeviceKeyIdOf(manifest)));
            return contentKey;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new EvidenceRejectedException("content key cannot be unwrapped with this city key", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private static async Task<int> ReadUpToAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static Task<int> ReadUpToAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken) =>
        ReadUpToAsync(stream, buffer.AsMemory(), cancellationToken);

    private static byte[] DeviceKeyIdOf(EvidenceManifest manifest)
    {
        try
        {
            return SealingFormat.KeyIdBytes(manifest.DeviceKeyId);
        }
        catch (FormatException e)
        {
            throw new EvidenceRejectedException("manifest field 'device_key_id' is not 64 lower-case hex digits", e);
        }
    }
}
