namespace Sensen.Edge.Privacy;

/// <summary>
/// The clip path for one clip: raw <see cref="ClipFrame"/>s go in, in order; <see cref="AnonymisedFrame"/>s
/// come out in the same order, each only once the look-ahead behind it has been seen (so a region found later
/// is obscured in the frames before it too). It owns the frames pushed into it and releases each one exactly
/// once; <see cref="IDisposable.Dispose"/> releases every raw frame it still holds. Not thread-safe: one
/// recorder drives one clip.
/// </summary>
internal interface IClipAnonymisation : IDisposable
{
    /// <summary>Counts so far (final after <see cref="Complete"/> and every frame taken).</summary>
    AnonymisationSummary Summary { get; }

    /// <summary>The best read of an offender's plate so far, or null.</summary>
    PlateRead? Plate { get; }

    /// <summary>Hands one raw frame over (the anonymisation owns it from here).</summary>
    void Push(ClipFrame frame);

    /// <summary>
    /// Hands over a frame past the clip's end, there only as the look-ahead of the clip's last frames: it is
    /// analysed and taken like any other (and counted in <see cref="Summary"/>, which the writer corrects), but it
    /// is never stored, so it is left out of the metrics, the log and the frame observer. Every frame pushed
    /// after the first such frame is one too.
    /// </summary>
    void PushLookAhead(ClipFrame frame) => Push(frame);

    /// <summary>The next anonymised frame, when its look-ahead has arrived (or after <see cref="Complete"/>).</summary>
    bool TryTake(out AnonymisedFrame frame);

    /// <summary>No more frames: what is still held is anonymised with the look-ahead it has, or masked whole if that is too short.</summary>
    void Complete();
}
