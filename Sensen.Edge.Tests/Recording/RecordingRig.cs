using System.Diagnostics;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Privacy;
using Sensen.Edge.Recording;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Recording;

/// <summary>
/// Frames for the recording tests: a real pool and detection lists, frames at a fixed rate on a synthetic clock
/// (no sleeping: times are stated), each carrying a pattern that encodes its sequence number.
/// </summary>
internal sealed class RecordingRig
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    public RecordingRig(int width = 64, int height = 48, double fps = 10, int poolFrames = 256)
    {
        Width = width;
        Height = height;
        Fps = fps;
        Pool = new FramePool(width * height * 3, poolFrames);
    }

    public int Width { get; }

    public int Height { get; }

    public double Fps { get; }

    public FramePool Pool { get; }

    public DetectionListPool Lists { get; } = new();

    /// <summary>A clip memory of <paramref name="frames"/> buffers of this rig's frame size (as many as the pool by default).</summary>
    public FramePool ClipMemory(int? frames = null) => new(Width * Height * 3, frames ?? Pool.Capacity);

    public DateTimeOffset TimeOf(long sequence) => Epoch + TimeSpan.FromSeconds(sequence / Fps);

    /// <summary>Frame <paramref name="sequence"/>: a horizontal gradient shifted by the sequence, and one person detection.</summary>
    public AnalysedFrame Frame(long sequence, bool analysed = true)
    {
        if (!Pool.TryRent(out var frame))
        {
            throw new InvalidOperationException("the test pool is exhausted");
        }

        var pts = TimeSpan.FromSeconds(sequence / Fps);
        frame.Describe("cam", Width, Height, PixelFormat.Bgr24, sequence, pts, TimeOf(sequence));
        Paint(frame.Pixels, Width, Height, sequence);
        var list = Lists.Rent();
        if (analysed)
        {
            list.Items.Add(new DetectedObject(new BoxF(10, 10, 30, 40), ObjectClass.Person, 0.9f));
        }

        return new AnalysedFrame(frame.Handle(), list, analysed ? AnalysisOutcome.Analysed : AnalysisOutcome.InferenceFailed, TimeOf(sequence));
    }

    /// <summary>Hands frames <paramref name="from"/>..<paramref name="to"/> to the recorder as the tracking stage does (its own reference released after).</summary>
    public void Feed(CameraRecorder recorder, long from, long to, IReadOnlyList<Track>? tracks = null)
    {
        for (var s = from; s <= to; s++)
        {
            var item = Frame(s);
            recorder.OnFrame(item, tracks ?? []);
            item.Release();
        }
    }

    public static void Paint(Span<byte> pixels, int width, int height, long sequence)
    {
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                pixels[i] = (byte)((x * 4) + (sequence * 8));
                pixels[i + 1] = (byte)(y * 5);
                pixels[i + 2] = (byte)(128 + (sequence * 3));
            }
        }
    }

    /// <summary>Decodes an MP4 with real ffmpeg back to raw bgr24 frames.</summary>
    public static async Task<List<byte[]>> DecodeAsync(byte[] mp4, int width, int height, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        await process.StandardInput.BaseStream.WriteAsync(mp4, cancellationToken);
        process.StandardInput.Close();
        await copy;
        await process.WaitForExitAsync(cancellationToken);
        Assert.That(process.ExitCode, Is.Zero, await stderr);
        var bytes = output.ToArray();
        var size = width * height * 3;
        return [.. Enumerable.Range(0, bytes.Length / size).Select(i => bytes.AsSpan(i * size, size).ToArray())];
    }

    public static double MeanAbsoluteDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }
}
