using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensen.Edge.Privacy;

/// <summary>
/// Sums of the B, G and R bytes of a rectangle of a bgr24 frame (packed rows), in one pass over each row:
/// the mosaic's mean colour. The vector path reads 48 bytes (16 pixels) at a time, so byte p of every chunk
/// belongs to channel p mod 3 and the lanes can be told apart only once, at the end; the sums are exact and
/// equal the scalar path's.
/// </summary>
internal static class ChannelSums
{
    private const int Chunk = 48;

    /// <summary>Chunks a row adds to the 16-bit lanes before they are widened: 256 × 255 fits in a ushort.</summary>
    private const int ChunksPerFlush = 256;

    /// <summary>Rows added to the 32-bit lanes before they go into 64-bit sums: a row of up to <see cref="WidestRow"/> pixels adds at most 255 × 4096 to a lane, and 4096 such rows fit in a uint.</summary>
    private const int RowsPerFlush = 4096;

    /// <summary>The widest row (pixels, 4096 chunks) the vector path sums.</summary>
    private const int WidestRow = 65536;

    /// <summary>The sums, byte by byte.</summary>
    public static (long B, long G, long R) Scalar(ReadOnlySpan<byte> bgr, int stride, int x, int y, int w, int h)
    {
        long b = 0, g = 0, r = 0;
        for (var row = y; row < y + h; row++)
        {
            var line = bgr.Slice((row * stride) + (x * 3), w * 3);
            for (var i = 0; i + 2 < line.Length; i += 3)
            {
                b += line[i];
                g += line[i + 1];
                r += line[i + 2];
            }
        }

        return (b, g, r);
    }

    /// <summary>
    /// The same sums with <see cref="Vector128{T}"/>: byte lanes widened into 16-bit, then 32-bit, then 64-bit
    /// sums. A row wider than <see cref="WidestRow"/> pixels (none in practice) is summed by the scalar path.
    /// </summary>
    public static (long B, long G, long R) Vectorised(ReadOnlySpan<byte> bgr, int stride, int x, int y, int w, int h)
    {
        if (w > WidestRow)
        {
            return Scalar(bgr, stride, x, y, w, h);
        }

        Span<long> sums = stackalloc long[3];
        Span<Vector128<uint>> wide = stackalloc Vector128<uint>[12];
        wide.Clear();
        for (var row = y; row < y + h; row++)
        {
            var line = bgr.Slice((row * stride) + (x * 3), w * 3);
            ref var start = ref MemoryMarshal.GetReference(line);
            var narrow = default(Narrow);
            var chunks = 0;
            var i = 0;
            for (; i + Chunk <= line.Length; i += Chunk)
            {
                narrow.Add(Vector128.LoadUnsafe(ref start, (nuint)i), Vector128.LoadUnsafe(ref start, (nuint)(i + 16)), Vector128.LoadUnsafe(ref start, (nuint)(i + 32)));
                if (++chunks == ChunksPerFlush)
                {
                    narrow.MoveTo(wide);
                    chunks = 0;
                }
            }

            narrow.MoveTo(wide);

            // The remainder starts at a multiple of 48, hence of 3: byte j is channel j mod 3.
            for (; i < line.Length; i++)
            {
                sums[i % 3] += line[i];
            }

            if ((row - y + 1) % RowsPerFlush == 0)
            {
                MoveTo(wide, sums);
            }
        }

        MoveTo(wide, sums);
        return (sums[0], sums[1], sums[2]);
    }

    /// <summary>Adds every 32-bit lane to the sum of its channel (lane k of accumulator j is chunk byte 4j + k, channel (4j + k) mod 3) and clears it.</summary>
    private static void MoveTo(Span<Vector128<uint>> wide, Span<long> sums)
    {
        for (var j = 0; j < wide.Length; j++)
        {
            for (var k = 0; k < 4; k++)
            {
                sums[((4 * j) + k) % 3] += wide[j].GetElement(k);
            }
        }

        wide.Clear();
    }

    /// <summary>Six 16-bit accumulators: lane k of accumulator j holds the bytes at position 8j + k of each chunk.</summary>
    private struct Narrow
    {
        private Vector128<ushort> _a0, _a1, _a2, _a3, _a4, _a5;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2)
        {
            var (l0, u0) = Vector128.Widen(v0);
            var (l1, u1) = Vector128.Widen(v1);
            var (l2, u2) = Vector128.Widen(v2);
            _a0 += l0;
            _a1 += u0;
            _a2 += l1;
            _a3 += u1;
            _a4 += l2;
            _a5 += u2;
        }

        /// <summary>Widens these lanes into the twelve 32-bit accumulators (16-bit lane k of j is 32-bit lane k mod 4 of 2j + k / 4) and clears them.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void MoveTo(Span<Vector128<uint>> wide)
        {
            Widen(_a0, wide, 0);
            Widen(_a1, wide, 2);
            Widen(_a2, wide, 4);
            Widen(_a3, wide, 6);
            Widen(_a4, wide, 8);
            Widen(_a5, wide, 10);
            this = default;

            static void Widen(Vector128<ushort> a, Span<Vector128<uint>> wide, int j)
            {
                var (lower, upper) = Vector128.Widen(a);
                wide[j] += lower;
                wide[j + 1] += upper;
            }
        }
    }
}
