using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sensen.Edge.Vault;

/// <summary>
/// The byte-level constants of the sealing construction, shared by <see cref="EvidenceSealer"/> and
/// <see cref="EvidenceOpener"/> so the two cannot drift apart. docs/PROTOCOL.md is the normative text.
/// </summary>
internal static class SealingFormat
{
    public const string Algorithm = "ECDH-ES-P256+HKDF-SHA256+A256GCM";

    /// <summary>Plaintext bytes per sealed chunk; a sealed chunk is this plus the 16-byte tag, well under a 128 KiB MQTT message.</summary>
    public const int ChunkBytes = 64 * 1024;

    public const int KeyBytes = 32;

    public const int NonceBytes = 12;

    public const int TagBytes = 16;

    // Format 2 binds the signing device's key id (32 bytes) into every label's input: a clip sealed by one device
    // cannot be re-signed by another key and still open, since its chunks and wrapped key authenticate the original id.
    private static readonly byte[] ChunkLabel = Encoding.ASCII.GetBytes("sensen-evidence/2 chunk\0");
    private static readonly byte[] WrapInfoLabel = Encoding.ASCII.GetBytes("sensen-evidence/2 key-wrap\0");
    private static readonly byte[] WrapAadLabel = Encoding.ASCII.GetBytes("sensen-evidence/2 content-key\0");

    /// <summary>The evidence id as 16 bytes in RFC 9562 (network) order.</summary>
    public static byte[] IdBytes(Guid evidenceId) => evidenceId.ToByteArray(bigEndian: true);

    /// <summary>Chunk nonce: 4 zero bytes then the chunk index as a big-endian uint64. Safe because each content key seals one clip only.</summary>
    public static void ChunkNonce(long index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], (ulong)index);
    }

    /// <summary>Bytes of a key id (64 lower-case hex digits → 32 bytes); throws <see cref="FormatException"/> otherwise.</summary>
    public static byte[] KeyIdBytes(string keyId) =>
        keyId.Length == 64 && keyId.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? Convert.FromHexString(keyId) : throw new FormatException("a key id is 64 lower-case hex digits");

    /// <summary>Chunk AAD: label ‖ evidence id (16) ‖ device key id (32) ‖ index (uint64 BE) ‖ final flag (1 byte), so chunks cannot be moved, swapped between clips or devices, or dropped from the end.</summary>
    public static byte[] ChunkAad(Guid evidenceId, byte[] deviceKeyId, long index, bool final)
    {
        var aad = new byte[ChunkLabel.Length + 16 + 32 + 8 + 1];
        ChunkLabel.CopyTo(aad, 0);
        IdBytes(evidenceId).CopyTo(aad, ChunkLabel.Length);
        deviceKeyId.CopyTo(aad, ChunkLabel.Length + 16);
        BinaryPrimitives.WriteUInt64BigEndian(aad.AsSpan(ChunkLabel.Length + 16 + 32), (ulong)index);
        aad[^1] = final ? (byte)1 : (byte)0;
        return aad;
    }

    public static byte[] WrapAad(Guid evidenceId, byte[] deviceKeyId) => [.. WrapAadLabel, .. IdBytes(evidenceId), .. deviceKeyId];

    /// <summary>KEK = HKDF-SHA256(IKM = ECDH x-coordinate, salt = none, info = label ‖ id ‖ device key id ‖ ephemeral point ‖ recipient point, L = 32).</summary>
    public static byte[] DeriveKek(byte[] sharedSecret, Guid evidenceId, byte[] deviceKeyId, byte[] ephemeralPoint, byte[] recipientPoint)
    {
        byte[] info = [.. WrapInfoLabel, .. IdBytes(evidenceId), .. deviceKeyId, .. ephemeralPoint, .. recipientPoint];
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, KeyBytes, salt: [], info: info);
    }

    /// <summary>Uncompressed SEC1 point: 0x04 ‖ X ‖ Y.</summary>
    public static byte[] Point(ECParameters parameters) => [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];

    public static string KeyId(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>Timestamps in manifests: UTC, ISO 8601, 100 ns precision, always the same length.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
