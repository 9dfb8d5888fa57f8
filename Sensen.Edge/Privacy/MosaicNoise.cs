using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Sensen.Edge.Privacy;

/// <summary>
/// The mosaic's noise: four xorshift128 streams (Marsaglia, "Xorshift RNGs", J. Stat. Softw. 8(14), 2003:
/// shifts 11, 19, 8) interleaved one per lane of a <see cref="Vector128{T}"/> of uint, so one step is a
/// handful of vector instructions and yields 16 bytes. It is seeded from the operating system's CSPRNG for
/// every frame (<see cref="FromOperatingSystem"/>), never from a predictable seed. xorshift is not a
/// cryptographic generator, and need not be here: the mosaic keeps only the region's mean colour, so even an
/// attacker who recovered a frame's noise would learn nothing more of the region (docs/PRIVACY.md).
/// <see cref="Fill"/> and <see cref="FillScalar"/> give the same bytes from the same state, the latter for
/// hardware without vector acceleration. A mutable struct on purpose: a hot loop copies it into a local so
/// the JIT keeps the state in registers, then writes it back.
/// </summary>
internal struct MosaicNoise
{
    /// <summary>Bytes of seed: 128 bits of state for each of the four streams.</summary>
    public const int SeedBytes = 64;

    /// <summary>Lane k of the four vectors is stream k's state words x, y, z, w.</summary>
    private Vector128<uint> _x;
    private Vector128<uint> _y;
    private Vector128<uint> _z;
    private Vector128<uint> _w;

    /// <summary>Fresh state from the operating system's CSPRNG; the seed is wiped from the stack after use.</summary>
    public static MosaicNoise FromOperatingSystem()
    {
        Span<byte> seed = stackalloc byte[SeedBytes];
        RandomNumberGenerator.Fill(seed);
        var noise = FromSeed(seed);
        CryptographicOperations.ZeroMemory(seed);
        return noise;
    }

    /// <summary>
    /// State from <paramref name="seed"/> (<see cref="SeedBytes"/> bytes, little-endian words x0..x3, y0..y3,
    /// z0..z3, w0..w3). The daemon seeds only through <see cref="FromOperatingSystem"/>; a given seed is how
    /// the tests prove the vector and scalar paths equal. A stream whose state is all zero (which xorshift
    /// would never leave) gets x = 1.
    /// </summary>
    public static MosaicNoise FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedBytes)
        {
            throw new ArgumentException($"a mosaic seed is {SeedBytes} bytes, not {seed.Length}", nameof(seed));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the mosaic's noise assumes a little-endian machine");
        }

        var words = MemoryMarshal.Cast<byte, uint>(seed);
        var noise = new MosaicNoise
        {
            _x = Vector128.Create(words[..4]),
            _y = Vector128.Create(words[4..8]),
            _z = Vector128.Create(words[8..12]),
            _w = Vector128.Create(words[12..16]),
        };

        var zero = Vector128.Equals(noise._x | noise._y | noise._z | noise._w, Vector128<uint>.Zero);
        noise._x |= zero & Vector128<uint>.One;
        return noise;
    }

    /// <summary>One step of all four streams: their new w words, 16 bytes (lane 0's four bytes first, little-endian).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> Next()
    {
        var t = _x ^ (_x << 11);
        _x = _y;
        _y = _z;
        _z = _w;
        _w = _w ^ (_w >> 19) ^ t ^ (t >> 8);
        return _w.AsByte();
    }

    /// <summary>Fills <paramref name="destination"/> (a multiple of 16 bytes) with successive <see cref="Next"/> steps.</summary>
    public void Fill(Span<byte> destination)
    {
        var noise = this;
        for (var i = 0; i + 16 <= destination.Length; i += 16)
        {
            noise.Next().CopyTo(destination[i..]);
        }

        this = noise;
    }

    /// <summary>
    /// The same bytes as <see cref="Fill"/> in scalar arithmetic, lane by lane (for hardware without vector
    /// acceleration): the state is unpacked into 16 words once per call, not per step.
    /// </summary>
    public void FillScalar(Span<byte> destination)
    {
        Span<uint> s = stackalloc uint[16];
        _x.CopyTo(s);
        _y.CopyTo(s[4..]);
        _z.CopyTo(s[8..]);
        _w.CopyTo(s[12..]);
        var words = MemoryMarshal.Cast<byte, uint>(destination);
        for (var i = 0; i + 4 <= words.Length; i += 4)
        {
            for (var k = 0; k < 4; k++)
            {
                var x = s[k];
                var w = s[12 + k];
                var t = x ^ (x << 11);
                var next = w ^ (w >> 19) ^ t ^ (t >> 8);
                s[k] = s[4 + k];
                s[4 + k] = s[8 + k];
                s[8 + k] = w;
                s[12 + k] = next;
                words[i + k] = next;
            }
        }

        _x = Vector128.Create((ReadOnlySpan<uint>)s[..4]);
        _y = Vector128.Create((ReadOnlySpan<uint>)s[4..8]);
        _z = Vector128.Create((ReadOnlySpan<uint>)s[8..12]);
        _w = Vector128.Create((ReadOnlySpan<uint>)s[12..]);
    }
}
