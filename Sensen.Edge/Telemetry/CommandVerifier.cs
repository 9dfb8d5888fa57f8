using System.Security.Cryptography;
using System.Text.Json;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Checks a remote command the way <see cref="AckVerifier"/> checks an ack, in order: size and framing; the
/// header (canonical, ES256, <c>sensen-command/1</c>, a kid naming a configured operator); the low-S signature under
/// that operator's key; the body (canonical, no unknown or duplicate members, known command, its arguments); the
/// device; freshness (<c>telemetry.command_max_age_seconds</c> back, 60 s ahead); and last the nonce, which is
/// remembered only for commands that passed everything else. The role is the handler's check, since a refused
/// role must still be answered with the verified operator's id.
/// </summary>
internal sealed class CommandVerifier
{
    /// <summary>Accepted nonces kept at most; a unit takes a handful of commands a day.</summary>
    public const int NonceCapacity = 4096;

    private readonly string _deviceId;
    private readonly TimeProvider _time;
    private readonly NonceCache _nonces;
    private Trust _trust;

    public CommandVerifier(IReadOnlyList<OperatorKey> operators, string deviceId, TimeProvider time, TimeSpan maxAge, int nonceCapacity = NonceCapacity)
    {
        _trust = new Trust(operators.ToDictionary(o => o.Id, StringComparer.Ordinal), maxAge, maxAge);
        _deviceId = deviceId;
        _time = time;
        _nonces = new NonceCache(nonceCapacity);
    }

    public int RememberedNonces => _nonces.Count;

    /// <summary>The operator keys in force (<c>telemetry.operators</c>), by id.</summary>
    public IReadOnlyDictionary<string, OperatorKey> Operators => Volatile.Read(ref _trust).Operators;

    /// <summary><c>telemetry.command_max_age_seconds</c> in force.</summary>
    public TimeSpan MaxAge => Volatile.Read(ref _trust).MaxAge;

    /// <summary>
    /// A reload's new operator keys and freshness window, from the next command on. The accepted nonces are kept:
    /// a command accepted before the reload is still refused as replayed after it, whatever the new window. A full
    /// cache evicts only nonces older than the widest window ever in force, so widening the window cannot make an
    /// evicted nonce fresh again.
    /// </summary>
    public void Reconfigure(IReadOnlyList<OperatorKey> operators, TimeSpan maxAge)
    {
        var before = Volatile.Read(ref _trust);
        var widest = maxAge > before.EvictionAge ? maxAge : before.EvictionAge;
        Volatile.Write(ref _trust, new Trust(operators.ToDictionary(o => o.Id, StringComparer.Ordinal), maxAge, widest));
    }

    public CommandVerification Verify(ReadOnlySpan<byte> message)
    {
        // One snapshot per command: a reload swaps keys and window together, never halfway through a check.
        var trust = Volatile.Read(ref _trust);
        var maxAge = trust.MaxAge;
        if (message.Length > CommandFormat.MaxMessageBytes)
        {
            return CommandVerification.Refused("malformed", $"the command is {message.Length} bytes; at most {CommandFormat.MaxMessageBytes} are allowed");
        }

        var first = message.IndexOf((byte)'.');
        var last = message.LastIndexOf((byte)'.');
        if (first < 0 || first == last || message[(first + 1)..last].Contains((byte)'.'))
        {
            return CommandVerification.Refused("malformed", "the command is not a JWS compact serialisation (three base64url parts separated by '.')");
        }

        if (!AckFormat.TryDecode(message[..first], out var headerBytes)
            || !AckFormat.TryDecode(message[(first + 1)..last], out var bodyBytes)
            || !AckFormat.TryDecode(message[(last + 1)..], out var signature))
        {
            return CommandVerification.Refused("malformed", "a part of the command is not unpadded base64url");
        }

        // Claimed, untrusted: only echoed back (when well-formed) so the sender can match the result.
        var claimedNonce = CanonicalJson.TryDeserializeExact<CommandBody>(bodyBytes, out var claimed) && CommandFormat.IsNonce(claimed!.Nonce) ? claimed.Nonce : null;

        if (!CanonicalJson.TryDeserializeExact<CommandHeader>(headerBytes, out var header))
        {
            return CommandVerification.Refused("malformed", "the command header is not canonical JSON with exactly alg, kid and typ", claimedNonce);
        }

        if (header!.Alg != CommandFormat.Algorithm || header.Typ != CommandFormat.Format)
        {
            return CommandVerification.Refused("malformed", $"the command header must say alg {CommandFormat.Algorithm} and typ {CommandFormat.Format}", claimedNonce);
        }

        if (!trust.Operators.TryGetValue(header.Kid, out var signer))
        {
            return CommandVerification.Refused("unknown_operator", "the command's kid names no operator in telemetry.operators", claimedNonce);
        }

        if (!EcdsaLowS.IsLowS(signature)
            || !signer.PublicKey.VerifyData(message[..last], signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return CommandVerification.Refused("bad_signature", "the command's signature does not verify under the operator's key (or is not in low-S form)", claimedNonce);
        }

        if (!CanonicalJson.TryDeserializeExact<CommandBody>(bodyBytes, out var body))
        {
            return CommandVerification.Refused("malformed", "the command body is not canonical sensen-command/1 JSON (unknown, duplicate or missing members, wrong types, or non-canonical bytes)", claimedNonce);
        }

        if (Invalid(body!) is { } problem)
        {
            return CommandVerification.Refused("malformed", "the command body is invalid: " + problem, claimedNonce);
        }

        if (body!.DeviceId != _deviceId)
        {
            return CommandVerification.Refused("wrong_device", "the command is for another device", body.Nonce);
        }

        _ = AckFormat.TryParseTimestamp(body.IssuedAt, out var issuedAt);
        var now = _time.GetUtcNow();
        if (issuedAt < now - maxAge)
        {
            return CommandVerification.Refused("expired", $"the command was issued more than {maxAge.TotalSeconds:0} s ago", body.Nonce);
        }

        if (issuedAt > now + CommandFormat.AllowedFutureSkew)
        {
            return CommandVerification.Refused("from_the_future", $"the command is dated more than {CommandFormat.AllowedFutureSkew.TotalSeconds:0} s ahead of this unit's clock", body.Nonce);
        }

        return _nonces.TryAdd(signer.Id, body.Nonce, issuedAt, now - trust.EvictionAge) switch
        {
            NonceOutcome.Replayed => CommandVerification.Refused("replayed", "this command (operator and nonce) was already received", body.Nonce),
            NonceOutcome.Full => CommandVerification.Refused("busy", "too many commands within the freshness window; try again later", body.Nonce),
            _ => CommandVerification.Verified(new VerifiedCommand(signer.Id, signer.Role, body, issuedAt)),
        };
    }

    /// <param name="EvictionAge">The widest <paramref name="MaxAge"/> since start: nonces younger than this are never evicted.</param>
    private sealed record Trust(Dictionary<string, OperatorKey> Operators, TimeSpan MaxAge, TimeSpan EvictionAge);

    /// <summary>Field rules; messages name the member, never its untrusted value.</summary>
    private static string? Invalid(CommandBody body)
    {
        if (body.Format != CommandFormat.Format)
        {
            return $"format is not {CommandFormat.Format}";
        }

        if (!CommandFormat.Commands.Contains(body.Command))
        {
            return "command is not one of " + string.Join(", ", CommandFormat.Commands);
        }

        if (!CommandFormat.IsNonce(body.Nonce))
        {
            return "nonce is not 16-64 base64url characters";
        }

        if (!AckFormat.TryParseTimestamp(body.IssuedAt, out _))
        {
            return "issued_at is not a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffffffZ";
        }

        var needsEvidence = body.Command is CommandFormat.LegalHold or CommandFormat.Release or CommandFormat.Resend;
        if (needsEvidence != (body.EvidenceId is not null) || (body.EvidenceId is { } id && !AckFormat.IsEvidenceId(id)))
        {
            return needsEvidence ? "evidence_id must be a lower-case UUID" : "evidence_id is not an argument of this command";
        }

        var needsReason = body.Command == CommandFormat.LegalHold;
        if (needsReason != (body.Reason is not null) || (body.Reason is { } reason && (reason.Trim().Length == 0 || reason.Length > CommandFormat.MaxReasonLength)))
        {
            return needsReason ? $"reason must be 1-{CommandFormat.MaxReasonLength} characters" : "reason is not an argument of this command";
        }

        var needsLevel = body.Command == CommandFormat.SetLogLevel;
        if (needsLevel != (body.Level is not null) || (body.Level is { } level && !CommandFormat.LogLevels.Contains(level)))
        {
            return needsLevel ? "level must be one of " + string.Join(", ", CommandFormat.LogLevels) : "level is not an argument of this command";
        }

        return null;
    }
}
