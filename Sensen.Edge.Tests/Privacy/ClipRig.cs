using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>Clip frames from pictures (pooled, as the pre-roll ring holds them), and a clip run end to end.</summary>
internal sealed class ClipRig(int width, int height, int capacity = 16)
{
    private readonly FramePool _pool = new(width * height * 3, capacity);

    public int Width => width;

    public int Height => height;

    /// <summary>Frames still rented: zero once every clip frame was released exactly once.</summary>
    public int InUse => _pool.InUse;

    public static TimeSpan PtsOf(long sequence) => TimeSpan.FromMilliseconds(100 * sequence);

    public ClipFrame Frame(byte[] bgr, long sequence, bool analysed = true, TrackedBox[]? tracks = null, DetectedObject[]? detections = null)
    {
        if (!_pool.TryRent(out var frame))
        {
            throw new InvalidOperationException("clip rig pool exhausted");
        }

        frame.Describe("cam", width, height, PixelFormat.Bgr24, sequence, PtsOf(sequence), DateTimeOffset.UnixEpoch + PtsOf(sequence));
        bgr.AsSpan(0, width * height * 3).CopyTo(frame.Pixels);
        return new ClipFrame(frame.Handle(), analysed, new FrameTime(PtsOf(sequence), DateTimeOffset.UnixEpoch + PtsOf(sequence)), detections ?? [], tracks ?? []);
    }

    /// <summary>Pushes every frame, taking what is ready after each push, then completes and takes the rest.</summary>
    public static List<AnonymisedFrame> Run(IClipAnonymisation clip, IEnumerable<ClipFrame> frames)
    {
        var output = new List<AnonymisedFrame>();
        foreach (var f in frames)
        {
            clip.Push(f);
            while (clip.TryTake(out var ready))
            {
                output.Add(ready);
            }
        }

        clip.Complete();
        while (clip.TryTake(out var ready))
        {
            output.Add(ready);
        }

        return output;
    }

    /// <summary>A picture with structure everywhere (so any obscuring shows): a gradient with a checker pattern.</summary>
    public static byte[] Textured(int width, int height)
    {
        var bgr = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                var checker = ((x / 4) + (y / 4)) % 2 == 0 ? 60 : 0;
                bgr[i] = (byte)((x * 7) % 180 + checker);
                bgr[i + 1] = (byte)((y * 5) % 180 + checker);
                bgr[i + 2] = (byte)(((x + y) * 3) % 180 + checker);
            }
        }

        return bgr;
    }
}
