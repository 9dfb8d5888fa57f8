using System.Buffers.Binary;
using System.Text;

namespace Sensen.Edge.Vault;

/// <summary>
/// One sealed evidence package as one file, for collection by hand (<c>sensen-edge queue export</c>) and opening by the
/// city (<c>sensen-edge evidence open</c>); docs/PROTOCOL.md, "Package file". Length-prefixed, big-endian:
/// <code>
/// "SENSEN-PACKAGE/1\n"            17 bytes ASCII
/// u32be n ‖ manifest              the manifest bytes exactly as signed (n ≤ 1 MiB)
/// u32be 64 ‖ signature            the device's ECDSA P-256 signature (r ‖ s)
/// u64be m ‖ sealed blob           the sealed chunks in order (m = the manifest's clip.sealed_bytes)
/// </code>
/// Nothing follows. Only ciphertext and the signed manifest: a package reveals no more than the uplink sends.
/// </summary>
internal static class EvidencePackageFile
{
    public const int MaxManifestBytes = 1 << 20;

    public static ReadOnlySpan<byte> Magic => "SENSEN-PACKAGE/1\n"u8;

    /// <summary>Writes the header (magic, manifest, signature, blob length); the caller then writes exactly <paramref name="sealedBytes"/> bytes of the blob.</summary>
    public static void WriteHeader(Stream output, ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> signature, long sealedBytes)
    {
        Span<byte> length = stackalloc byte[8];
        output.Write(Magic);
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)manifest.Length);
        output.Write(length[..4]);
        output.Write(manifest);
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)signature.Length);
        output.Write(length[..4]);
        output.Write(signature);
        BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)sealedBytes);
        output.Write(length);
    }

    /// <summary>Reads the header and leaves <paramref name="input"/> at the first byte of the sealed blob.</summary>
    public static (byte[] Manifest, byte[] Signature, long SealedBytes) ReadHeader(Stream input)
    {
        var magic = new byte[Magic.Length];
        if (!TryReadExactly(input, magic) || !magic.AsSpan().SequenceEqual(Magic))
        {
            throw new EvidenceRejectedException("not a Sensen evidence package (the file does not start with SENSEN-PACKAGE/1)");
        }

        var manifestLength = ReadUInt32(input, "manifest length");
        if (manifestLength is 0 or > MaxManifestBytes)
        {
            throw new EvidenceRejectedException($"package manifest length {manifestLength} is outside 1..{MaxManifestBytes}");
        }

        var manifest = ReadBytes(input, (int)manifestLength, "manifest");
        var signatureLength = ReadUInt32(input, "signature length");
        if (signatureLength != 64)
        {
            throw new EvidenceRejectedException($"package signature length {signatureLength} is not 64");
        }

        var signature = ReadBytes(input, 64, "signature");
        var blob = new byte[8];
        if (!TryReadExactly(input, blob))
        {
            throw new EvidenceRejectedException("package is truncated in its sealed blob length");
        }

        var sealedBytes = BinaryPrimitives.ReadUInt64BigEndian(blob);
        if (sealedBytes is 0 or > long.MaxValue)
        {
            throw new EvidenceRejectedException("package sealed blob length is out of range");
        }

        return (manifest, signature, (long)sealedBytes);
    }

    private static uint ReadUInt32(Stream input, string what)
    {
        var bytes = new byte[4];
        return TryReadExactly(input, bytes) ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : throw new EvidenceRejectedException($"package is truncated in its {what}");
    }

    private static byte[] ReadBytes(Stream input, int length, string what)
    {
        var bytes = new byte[length];
        return TryReadExactly(input, bytes) ? bytes : throw new EvidenceRejectedException($"package is truncated in its {what}");
    }

    private static bool TryReadExactly(Stream input, byte[] buffer)
    {
        try
        {
            input.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    /// <summary>For messages.</summary>
    public static string Describe(long manifestBytes, long sealedBytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Encoding.ASCII.GetString(Magic).TrimEnd()} package: manifest {manifestBytes} bytes, sealed blob {sealedBytes} bytes");
}
