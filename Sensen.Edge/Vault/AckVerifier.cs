using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sensen.Edge.Vault;

/// <summary>
/// Device side: checks a city acknowledgement (a compact JWS, ES256, docs/PROTOCOL.md) and, only when every
/// check passes, hands out the <see cref="VerifiedAck"/> that <see cref="EvidenceVault.Acknowledge"/> needs.
/// Checks, in order: size and framing; the header (canonical, <c>ES256</c>, <c>sensen-ack/1</c>, the configured
/// key id); the low-S signature over the signing input; the body (canonical, no unknown or duplicate members,
/// field values); the device; freshness. Every refusal is counted (<c>sensen.vault.acks_refused</c>, by reason)
/// and logged once per item and reason.
/// </summary>
internal sealed class AckVerifier : IDisposable
{
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(7);

    /// <summary>How far ahead of this unit's clock an ack may be dated (clock skew between city and unit).</summary>
    public static readonly TimeSpan AllowedFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Bounds the once-per-item memory; a flood of forged ids restarts it rather than growing it.</summary>
    private const int LoggedCapacity = 1024;

    private readonly ECDsa _key;
    private readonly string _deviceId;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly ILogger _logger;
    private readonly Meter _meter = new("Sensen.Edge.Vault");
    private readonly Counter<long> _refused;
    private readonly HashSet<(AckRefusal, string?)> _logged = [];
    private readonly Lock _gate = new();

    public AckVerifier(ECDsa cityAckPublicKey, string deviceId, TimeProvider time, ILogger? logger = null, TimeSpan? maxAge = null)
    {
        if (cityAckPublicKey.ExportParameters(includePrivateParameters: false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("the city ack key must be a P-256 key", nameof(cityAckPublicKey));
        }

        _key = cityAckPublicKey;
        _deviceId = deviceId;
        _time = time;
        _maxAge = maxAge ?? DefaultMaxAge;
        _logger = logger ?? NullLogger.Instance;
        KeyId = AckFormat.KeyId(cityAckPublicKey);
        _refused = _meter.CreateCounter<long>("sensen.vault.acks_refused", description: "Acknowledgements refused, by reason; none of them deleted anything");
    }

    /// <summary>This verifier's meter (tests listen to exactly this instance).</summary>
    internal Meter Meter => _meter;

    /// <summary>Key id of the configured city ack key.</summary>
    public string KeyId { get; }

    public AckVerification Verify(ReadOnlySpan<byte> message)
    {
        var result = Check(message);
        if (result.Refusal is { } refusal)
        {
            _refused.Add(1, new KeyValuePair<string, object?>("reason", ReasonName(refusal)));
            bool first;
            lock (_gate)
            {
                if (_logged.Count >= LoggedCapacity)
                {
                    _logged.Clear();
                }

                first = _logged.Add((refusal, result.EvidenceId));
            }

            if (first)
            {
                _logger.AckRefused(result.EvidenceId ?? "(unknown)", ReasonName(refusal), result.Message);
            }
        }

        return result;
    }

    public void Dispose() => _meter.Dispose();

    public static string ReasonName(AckRefusal refusal) => refusal switch
    {
        AckRefusal.Malformed => "malformed",
        AckRefusal.BadSignature => "bad_signature",
        AckRefusal.UnknownKey => "unknown_key",
        AckRefusal.WrongDevice => "wrong_device",
        AckRefusal.Stale => "stale",
        AckRefusal.FromTheFuture => "from_the_future",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };

    private AckVerification Check(ReadOnlySpan<byte> message)
    {
        if (message.Length > AckFormat.MaxMessageBytes)
        {
            return Malformed($"the ack is {message.Length} bytes; at most {AckFormat.MaxMessageBytes} are allowed");
        }

        var first = message.IndexOf((byte)'.');
        var last = message.LastIndexOf((byte)'.');
        if (first < 0 || first == last || message[(first + 1)..last].Contains((byte)'.'))
        {
            return Malformed("the ack is not a JWS compact serialisation (three base64url parts separated by '.')");
        }

        if (!AckFormat.TryDecode(message[..first], out var headerBytes)
            || !AckFormat.TryDecode(message[(first + 1)..last], out var bodyBytes)
            || !AckFormat.TryDecode(message[(last + 1)..], out var signature))
        {
            return Malformed("a part of the ack is not unpadded base64url");
        }

        // Claimed, untrusted: only used to log a refusal once per item, and only when it is a well-formed id.
        var claimedId = CanonicalJson.TryDeserializeExact<AckBody>(bodyBytes, out var claimed) && AckFormat.IsEvidenceId(claimed!.EvidenceId) ? claimed.EvidenceId : null;

        if (!CanonicalJson.TryDeserializeExact<AckHeader>(headerBytes, out var header))
        {
            return Malformed("the ack header is not canonical JSON with exactly alg, kid and typ", claimedId);
        }

        if (header!.Alg != AckFormat.Algorithm || header.Typ != AckFormat.Format)
        {
            return Malformed($"the ack header must say alg {AckFormat.Algorithm} and typ {AckFormat.Format}", claimedId);
        }

        if (header.Kid != KeyId)
        {
            return AckVerification.Refused(AckRefusal.UnknownKey, "the ack is signed with a key other than vault.city_ack_public_key", claimedId);
        }

        if (!EcdsaLowS.IsLowS(signature)
            || !_key.VerifyData(message[..last], signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return AckVerification.Refused(AckRefusal.BadSignature, "the ack's signature does not verify under the city ack key (or is not in low-S form)", claimedId);
        }

        if (!CanonicalJson.TryDeserializeExact<AckBody>(bodyBytes, out var body))
        {
            return Malformed("the ack body is not canonical sensen-ack/1 JSON (unknown, duplicate or missing members, wrong types, or non-canonical bytes)", claimedId);
        }

        if (Invalid(body!) is { } problem)
        {
            return Malformed("the ack body is invalid: " + problem, claimedId);
        }

        if (body!.DeviceId != _deviceId)
        {
            return AckVerification.Refused(AckRefusal.WrongDevice, "the ack is for another device", body.EvidenceId);
        }

        _ = AckFormat.TryParseTimestamp(body.IssuedAt, out var issuedAt);
        var now = _time.GetUtcNow();
        if (issuedAt < now - _maxAge)
        {
            return AckVerification.Refused(AckRefusal.Stale, $"the ack was issued at {body.IssuedAt}, more than {_maxAge.TotalHours:0.##} hours ago", body.EvidenceId);
        }

        if (issuedAt > now + AllowedFutureSkew)
        {
            return AckVerification.Refused(AckRefusal.FromTheFuture, $"the ack was issued at {body.IssuedAt}, more than {AllowedFutureSkew.TotalMinutes:0} minutes ahead of this unit's clock", body.EvidenceId);
        }

        var type = body.Type == AckFormat.ReceivedType ? AckType.Received : AckType.Missing;
        return AckVerification.Verified(new VerifiedAck(type, body.DeviceId, body.EvidenceId, body.SealedSha256, issuedAt, body.MissingChunks ?? [], KeyId));
    }

    /// <summary>Field rules; the messages name the member, never its untrusted value.</summary>
    private static string? Invalid(AckBody body)
    {
        if (body.Format != AckFormat.Format)
        {
            return $"format is not {AckFormat.Format}";
        }

        if (body.Type is not (AckFormat.ReceivedType or AckFormat.MissingType))
        {
            return "type is neither received nor missing";
        }

        if (body.DeviceId.Length == 0)
        {
            return "device_id is empty";
        }

        if (!AckFormat.IsEvidenceId(body.EvidenceId))
        {
            return "evidence_id is not a lower-case UUID";
        }

        if (!AckFormat.IsSha256Hex(body.SealedSha256))
        {
            return "sealed_sha256 is not 64 lower-case hex digits";
        }

        if (!AckFormat.TryParseTimestamp(body.IssuedAt, out _))
        {
            return "issued_at is not a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffffffZ";
        }

        if (body.Type == AckFormat.ReceivedType && body.MissingChunks is not null)
        {
            return "a received ack has no missing_chunks";
        }

        if (body.Type == AckFormat.MissingType && (body.MissingChunks is null || !AckFormat.IsChunkList(body.MissingChunks)))
        {
            return "missing_chunks must be sorted, distinct, non-negative and not empty";
        }

        return null;
    }

    private static AckVerification Malformed(string message, string? evidenceId = null) => AckVerification.Refused(AckRefusal.Malformed, message, evidenceId);
}
