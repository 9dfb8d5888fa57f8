namespace Sensen.Edge.Ingest;

/// <summary>
/// One run of a decoder delivering raw frames of a fixed size: an ffmpeg child today
/// (<see cref="FfmpegFrameSource"/>), an in-process libav binding some day. Disposing stops it.
/// </summary>
internal interface IFrameSource : IAsyncDisposable
{
    /// <summary>Bytes of one frame; every read fills exactly this many.</summary>
    int FrameBytes { get; }

    /// <summary>The input stream as reported so far (codec, size, fps); null until known.</summary>
    StreamInfo? Stream { get; }

    /// <summary>
    /// Fills <paramref name="destination"/> (<see cref="FrameBytes"/> long) with the next frame.
    /// Returns false when the source ended; then <see cref="WaitForEndAsync"/> says why.
    /// Throws <see cref="FrameSourceException"/> when the output is malformed (a partial frame).
    /// </summary>
    ValueTask<bool> ReadFrameAsync(Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>Stops decoding now (the watchdog's way out of a stall): pending reads return false.</summary>
    void Abort();

    /// <summary>Waits until the source ended and classifies why.</summary>
    Task<FrameSourceEnd> WaitForEndAsync(CancellationToken cancellationToken);
}
