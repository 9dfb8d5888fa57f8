using System.Numerics;

namespace Sensen.Edge.Vault;

/// <summary>
/// Low-S form for P-256 signatures in IEEE P1363 form (<c>r ‖ s</c>, 64 bytes). ECDSA signatures are malleable:
/// (r, n − s) verifies as well as (r, s). Signing always emits s ≤ n/2 and verifying refuses s > n/2, so each
/// signed message has exactly one accepted signature (the rule of Bitcoin's BIP 62 and of RFC 6979 deployments
/// that pin signatures).
/// </summary>
internal static class EcdsaLowS
{
    public const int SignatureBytes = 64;

    /// <summary>The order n of the P-256 base point (SEC 2 v2, §2.4.2).</summary>
    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger HalfOrder = Order >> 1;

    /// <summary>Whether <paramref name="signature"/> is 64 bytes with 0 &lt; r, s and s ≤ n/2.</summary>
    public static bool IsLowS(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureBytes)
        {
            return false;
        }

        var r = new BigInteger(signature[..32], isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature[32..], isUnsigned: true, isBigEndian: true);
        return !r.IsZero && r < Order && !s.IsZero && s <= HalfOrder;
    }

    /// <summary>Rewrites s as n − s when it is in the high half, in place.</summary>
    public static byte[] Normalize(byte[] signature)
    {
        if (signature.Length != SignatureBytes)
        {
            throw new ArgumentException($"a P-256 signature in IEEE P1363 form has {SignatureBytes} bytes", nameof(signature));
        }

        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        if (s > HalfOrder)
        {
            var low = Order - s;
            var span = signature.AsSpan(32);
            span.Clear();
            var count = low.GetByteCount(isUnsigned: true);
            low.TryWriteBytes(span[(32 - count)..], out _, isUnsigned: true, isBigEndian: true);
        }

        return signature;
    }
}
