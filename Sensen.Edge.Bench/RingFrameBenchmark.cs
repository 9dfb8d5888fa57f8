using System.Diagnostics;
using System.Globalization;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Recording;

namespace Sensen.Edge.Bench;

/// <summary>
/// Whether compact pre-roll ring frames (nv12, 1.5 bytes a pixel) are worth it at the default sizes.
/// Memory: the camera's frame pool (Pipeline/FrameBudget) with the ring in bgr24, as built today, against
/// the ring in nv12. Time: what a compact ring costs per frame, which bgr24 does not pay at all (the ring
/// keeps a reference to the pooled buffer): a BGR24 → NV12 conversion (scalar BT.601, the straightforward
/// port) against a plain copy of the NV12 bytes (the floor of any conversion, memory bandwidth alone).
/// Same frame, same run, interleaved, medians.
/// </summary>
internal sealed class RingFrameBenchmark : IBenchmark
{
    public string Name => "ring";

    public string Description => "pre-roll ring: frame pool MiB bgr24 vs nv12 ring, and ms/frame to convert bgr24→nv12 vs a copy [rounds] [frames]";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        var frames = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        Console.WriteLine($"ring benchmark: defaults (10 fps, 5 s pre-roll), {rounds} rounds of {frames} frames, medians");
        Console.WriteLine($"{"size",-10} {"pool bgr24",11} {"ring nv12",10} {"saved",6} {"convert ms",11} {"copy ms",8} {"ratio",6}");
        foreach (var (width, height) in new[] { (1280, 720), (1920, 1080) })
        {
            var budget = FrameBudget.For(new CameraFrames("bench", width, height, new AnalysisOptions().Fps), new RecordingOptions().PreRollSeconds, new PipelineTuning());
            var nv12Bytes = width * height * 3 / 2;
            var compact = ((long)budget.InFlight * budget.FrameBytes) + ((long)budget.PreRoll * nv12Bytes);
            var bgr = new byte[budget.FrameBytes];
            Random.Shared.NextBytes(bgr);
            var nv12 = new byte[nv12Bytes];
            var copy = new byte[nv12Bytes];
            var convert = new List<double>();
            var plain = new List<double>();
            for (var r = 0; r < rounds + 1 && !cancellationToken.IsCancellationRequested; r++)
            {
                var c = new double[frames];
                var p = new double[frames];
                for (var f = 0; f < frames; f++)
                {
                    var t = Stopwatch.GetTimestamp();
                    BgrToNv12(bgr, width, height, nv12);
                    c[f] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    t = Stopwatch.GetTimestamp();
                    nv12.AsSpan().CopyTo(copy);
                    p[f] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }

                if (r > 0)
                {
                    // Round 0 warms up (JIT, page faults); the others count.
                    convert.Add(Median(c));
                    plain.Add(Median(p));
                }
            }

            var (mc, mp) = (Median([.. convert]), Median([.. plain]));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{width}x{height,-5} {budget.Bytes / 1048576.0,9:0.0} M {compact / 1048576.0,8:0.0} M {1 - (compact / (double)budget.Bytes),5:P0} {mc,11:0.00} {mp,8:0.00} {mc / mp,6:0.0}"));
        }

        return Task.FromResult(0);
    }

    /// <summary>BT.601 limited range, chroma averaged over each 2×2 block (what ffmpeg's swscale does by default).</summary>
    private static void BgrToNv12(ReadOnlySpan<byte> bgr, int width, int height, Span<byte> nv12)
    {
        var stride = width * 3;
        var uv = nv12[(width * height)..];
        for (var y = 0; y < height; y += 2)
        {
            var row0 = bgr.Slice(y * stride, stride);
            var row1 = bgr.Slice((y + 1) * stride, stride);
            var y0 = nv12.Slice(y * width, width);
            var y1 = nv12.Slice((y + 1) * width, width);
            var uvRow = uv.Slice(y / 2 * width, width);
            for (var x = 0; x < width; x += 2)
            {
                int bs = 0, gs = 0, rs = 0;
                for (var dy = 0; dy < 2; dy++)
                {
                    var row = dy == 0 ? row0 : row1;
                    var luma = dy == 0 ? y0 : y1;
                    for (var dx = 0; dx < 2; dx++)
                    {
                        var i = (x + dx) * 3;
                        int b = row[i], g = row[i + 1], r = row[i + 2];
                        luma[x + dx] = (byte)((((66 * r) + (129 * g) + (25 * b) + 128) >> 8) + 16);
                        (bs, gs, rs) = (bs + b, gs + g, rs + r);
                    }
                }

                (bs, gs, rs) = (bs >> 2, gs >> 2, rs >> 2);
                uvRow[x] = (byte)((((-38 * rs) - (74 * gs) + (112 * bs) + 128) >> 8) + 128);
                uvRow[x + 1] = (byte)((((112 * rs) - (94 * gs) - (18 * bs) + 128) >> 8) + 128);
            }
        }
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
