using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sensen.Edge.Vault;

/// <summary>
/// The byte-level rules of a <c>sensen-ack/1</c> message, shared by <see cref="AckSigner"/> and
/// <see cref="AckVerifier"/> so the two cannot drift apart. A JWS compact serialisation (RFC 7515 §7.1)
/// signed with ES256 (RFC 7518 §3.4). docs/PROTOCOL.md is the normative text.
/// </summary>
internal static class AckFormat
{
    public const string Format = "sensen-ack/1";

    public const string Algorithm = "ES256";

    public const string ReceivedType = "received";

    public const string MissingType = "missing";

    /// <summary>Far above a real ack (about 600 bytes, plus 8 per missing chunk); refused before any parsing.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    public static byte[] Header(string keyId) => CanonicalJson.Serialize(new AckHeader { Alg = Algorithm, Kid = keyId, Typ = Format });

    /// <summary>The JWS signing input: <c>BASE64URL(header) '.' BASE64URL(body)</c> as ASCII (RFC 7515 §5.1).</summary>
    public static byte[] SigningInput(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body) =>
        Encoding.ASCII.GetBytes(Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(body));

    /// <summary>Decodes unpadded base64url and refuses anything a re-encoding would not reproduce (padding, whitespace, stray bits).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> ascii, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in ascii)
        {
            if (!(c is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_'))
            {
                return false;
            }
        }

        if (ascii.Length % 4 == 1)
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromUtf8(ascii);
        }
        catch (FormatException)
        {
            return false;
        }

        return Base64Url.EncodeToUtf8(bytes).AsSpan().SequenceEqual(ascii);
    }

    public static bool IsEvidenceId(string value) =>
        value.Length == 36 && Guid.TryParseExact(value, "D", out _) && !value.Any(char.IsAsciiLetterUpper);

    public static bool IsSha256Hex(string value) =>
        value.Length == 64 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>Parses the manifest's 28-character UTC timestamp, and nothing else.</summary>
    public static bool TryParseTimestamp(string value, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (value.Length != 28
            || !DateTime.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        timestamp = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }

    /// <summary>Sorted, distinct, non-negative, and at least one: a <c>missing</c> ack that names nothing is not an ack.</summary>
    public static bool IsChunkList(IReadOnlyList<int> chunks)
    {
        if (chunks.Count == 0 || chunks[0] < 0)
        {
            return false;
        }

        for (var i = 1; i < chunks.Count; i++)
        {
            if (chunks[i] <= chunks[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    public static string KeyId(ECDsa key) => SealingFormat.KeyId(key.ExportSubjectPublicKeyInfo());
}
