using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Operator side: signs a command with the operator's P-256 key as a JWS compact serialisation (ES256), which any
/// JOSE library verifies; <see cref="CommandVerifier"/> is the unit's counterpart. Used by <c>sensen-edge command sign</c> and the tests.
/// </summary>
internal sealed class CommandSigner
{
    private readonly ECDsa _key;
    private readonly byte[] _header;

    public CommandSigner(string operatorId, ECDsa operatorPrivateKey)
    {
        if (operatorPrivateKey.ExportParameters(includePrivateParameters: false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("an operator key must be a P-256 key", nameof(operatorPrivateKey));
        }

        _key = operatorPrivateKey;
        OperatorId = operatorId;
        _header = CanonicalJson.Serialize(new CommandHeader { Alg = CommandFormat.Algorithm, Kid = operatorId, Typ = CommandFormat.Format });
    }

    public string OperatorId { get; }

    /// <summary>A fresh 22-character base64url nonce (128 random bits).</summary>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public byte[] Sign(string deviceId, string command, DateTimeOffset issuedAt, string? evidenceId = null, string? reason = null, string? level = null, string? nonce = null) =>
        SignPayload(CanonicalJson.Serialize(new CommandBody
        {
            Format = CommandFormat.Format,
            DeviceId = deviceId,
            Command = command,
            IssuedAt = SealingFormat.Timestamp(issuedAt),
            Nonce = nonce ?? NewNonce(),
            EvidenceId = evidenceId,
            Reason = reason,
            Level = level,
        }));

    /// <summary>Signs arbitrary payload bytes under the real header: for tests that need a well-signed but malformed body.</summary>
    public byte[] SignPayload(ReadOnlySpan<byte> body)
    {
        var input = AckFormat.SigningInput(_header, body);
        var signature = EcdsaLowS.Normalize(_key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        return [.. input, (byte)'.', .. Encoding.ASCII.GetBytes(Base64Url.EncodeToString(signature))];
    }
}
