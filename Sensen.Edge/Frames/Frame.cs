namespace Sensen.Edge.Frames;

/// <summary>
/// One decoded picture from one camera, in a pooled buffer. A frame is shared by reference count:
/// whoever keeps it beyond the call that handed it over calls <see cref="Retain"/>, and everyone
/// calls <see cref="Release"/> exactly once for each reference; the last release returns the buffer.
/// Raw frames live only in RAM: nothing here can write one to disk.
/// </summary>
internal sealed class Frame
{
    private readonly FramePool _pool;
    private int _references;

    internal Frame(FramePool pool, byte[] buffer)
    {
        _pool = pool;
        Buffer = buffer;
    }

    /// <summary>The pooled storage; only the first <see cref="Length"/> bytes are this frame's pixels.</summary>
    public byte[] Buffer { get; }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public PixelFormat Format { get; private set; }

    /// <summary>Bytes from one row to the next (rows are packed).</summary>
    public int Stride => Width * PixelFormats.BytesPerPixel(Format);

    public int Length => Stride * Height;

    public Span<byte> Pixels => Buffer.AsSpan(0, Length);

    public string CameraId { get; private set; } = "";

    /// <summary>Per-camera frame counter, increasing by one for every frame delivered.</summary>
    public long Sequence { get; private set; }

    /// <summary>Presentation time in the stream, monotonic per camera.</summary>
    public TimeSpan Pts { get; private set; }

    /// <summary>Wall-clock time at which the frame was read from the decoder (UTC).</summary>
    public DateTimeOffset CaptureTime { get; private set; }

    internal int References => Volatile.Read(ref _references);

    /// <summary>Stamps a freshly rented frame with what it holds. Called once by the producer.</summary>
    public void Describe(string cameraId, int width, int height, PixelFormat format, long sequence, TimeSpan pts, DateTimeOffset captureTime)
    {
        if (PixelFormats.FrameBytes(format, width, height) > Buffer.Length)
        {
            throw new ArgumentException($"a {width}x{height} {format} frame does not fit a {Buffer.Length}-byte buffer");
        }

        CameraId = cameraId;
        Width = width;
        Height = height;
        Format = format;
        Sequence = sequence;
        Pts = pts;
        CaptureTime = captureTime;
    }

    /// <summary>Adds a reference for a holder that keeps the frame (the pre-roll ring, a batch).</summary>
    public Frame Retain()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            throw new InvalidOperationException("a released frame cannot be retained");
        }

        return this;
    }

    /// <summary>Drops one reference; the last one returns the buffer to its pool.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _pool.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("frame released more often than it was referenced");
        }
    }

    internal void Activate() => Volatile.Write(ref _references, 1);
}
