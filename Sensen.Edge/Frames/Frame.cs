namespace Sensen.Edge.Frames;

/// <summary>
/// One decoded picture from one camera, in a pooled buffer. A frame is shared by reference count:
/// whoever keeps it beyond the call that handed it over calls <see cref="Retain"/>, and everyone
/// calls <see cref="Release"/> exactly once for each reference; the last release returns the buffer.
/// Raw frames live only in RAM: nothing here can write one to disk.
/// A holder that keeps a frame across stages keeps a <see cref="FrameHandle"/> (from <see cref="Handle"/>):
/// each return to the pool bumps <see cref="Generation"/>, so a handle kept past its release throws
/// <see cref="StaleFrameException"/> instead of reading the pixels of whatever frame the buffer holds now.
/// </summary>
internal sealed class Frame
{
    private readonly FramePool _pool;
    private readonly byte[] _buffer;
    private int _references;
    private int _generation;

    internal Frame(FramePool pool, byte[] buffer)
    {
        _pool = pool;
        _buffer = buffer;
    }

    /// <summary>The pooled storage; only the first <see cref="Length"/> bytes are this frame's pixels.</summary>
    public byte[] Buffer
    {
        get
        {
            ThrowIfReleased();
            return _buffer;
        }
    }

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

    /// <summary>How many times this buffer went back to its pool; a <see cref="FrameHandle"/> remembers the value it was made at.</summary>
    internal int Generation => Volatile.Read(ref _generation);

    /// <summary>A handle on the frame as it is now, for a holder that keeps it (an edge's item, the pre-roll ring).</summary>
    public FrameHandle Handle()
    {
        ThrowIfReleased();
        return new FrameHandle(this, Generation);
    }

    /// <summary>Stamps a freshly rented frame with what it holds. Called once by the producer.</summary>
    public void Describe(string cameraId, int width, int height, PixelFormat format, long sequence, TimeSpan pts, DateTimeOffset captureTime)
    {
        if (PixelFormats.FrameBytes(format, width, height) > _buffer.Length)
        {
            throw new ArgumentException($"a {width}x{height} {format} frame does not fit a {_buffer.Length}-byte buffer");
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
            // Before the buffer is free for the next frame: every handle on this one is stale from here on.
            Interlocked.Increment(ref _generation);
            _pool.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("frame released more often than it was referenced");
        }
    }

    internal void Activate() => Volatile.Write(ref _references, 1);

    private void ThrowIfReleased()
    {
        if (Volatile.Read(ref _references) <= 0)
        {
            throw new StaleFrameException($"frame {Sequence} of camera '{CameraId}' was released; its buffer belongs to the pool");
        }
    }
}
