using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Sensen.Edge.Vault;

/// <summary>
/// City side: signs acknowledgements with the city's ack key (ECDSA P-256, separate from the ECDH sealing key),
/// as the reference receiver and the tests do. The output is a JWS compact serialisation that any JOSE library
/// verifies as ES256; <see cref="AckVerifier"/> is its device-side counterpart.
/// </summary>
internal sealed class AckSigner
{
    private readonly ECDsa _key;
    private readonly byte[] _header;

    public AckSigner(ECDsa cityAckPrivateKey)
    {
        if (cityAckPrivateKey.ExportParameters(includePrivateParameters: false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("the city ack key must be a P-256 key", nameof(cityAckPrivateKey));
        }

        _key = cityAckPrivateKey;
        KeyId = AckFormat.KeyId(cityAckPrivateKey);
        _header = AckFormat.Header(KeyId);
    }

    public string KeyId { get; }

    public byte[] Received(string deviceId, string evidenceId, string sealedSha256, DateTimeOffset issuedAt) =>
        Sign(Body(AckFormat.ReceivedType, deviceId, evidenceId, sealedSha256, issuedAt, null));

    public byte[] Missing(string deviceId, string evidenceId, string sealedSha256, IReadOnlyList<int> missingChunks, DateTimeOffset issuedAt)
    {
        if (!AckFormat.IsChunkList(missingChunks))
        {
            throw new ArgumentException("missing chunks must be sorted, distinct, non-negative and at least one", nameof(missingChunks));
        }

        return Sign(Body(AckFormat.MissingType, deviceId, evidenceId, sealedSha256, issuedAt, [.. missingChunks]));
    }

    /// <summary>Signs an arbitrary payload under the real header: for tests that need a correctly signed but malformed body.</summary>
    internal byte[] SignPayload(ReadOnlySpan<byte> body) => Sign(body.ToArray());

    private static AckBody Body(string type, string deviceId, string evidenceId, string sealedSha256, DateTimeOffset issuedAt, int[]? missing)
    {
        if (!AckFormat.IsEvidenceId(evidenceId))
        {
            throw new ArgumentException("the evidence id must be a lower-case UUID", nameof(evidenceId));
        }

        if (!AckFormat.IsSha256Hex(sealedSha256))
        {
            throw new ArgumentException("the sealed hash must be 64 lower-case hex digits", nameof(sealedSha256));
        }

        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        return new AckBody
        {
            Format = AckFormat.Format,
            Type = type,
            DeviceId = deviceId,
            EvidenceId = evidenceId,
            SealedSha256 = sealedSha256,
            IssuedAt = SealingFormat.Timestamp(issuedAt),
            MissingChunks = missing,
        };
    }

    private byte[] Sign(AckBody body) => Sign(CanonicalJson.Serialize(body));

    private byte[] Sign(byte[] body)
    {
        var input = AckFormat.SigningInput(_header, body);
        var signature = EcdsaLowS.Normalize(_key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        return [.. input, (byte)'.', .. Encoding.ASCII.GetBytes(Base64Url.EncodeToString(signature))];
    }
}
