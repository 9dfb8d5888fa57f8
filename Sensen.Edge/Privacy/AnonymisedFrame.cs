using Sensen.Edge.Tracking;

namespace Sensen.Edge.Privacy;

/// <summary>
/// A clip frame after the anonymiser: the only thing the clip encoder accepts (ARCHITECTURE.md: a frame that
/// has not passed the anonymiser cannot reach the encoder). Its constructor is private; the only ways to
/// make one are <see cref="Obscured"/> and <see cref="MaskedWhole"/>, which the clip path calls, so holding
/// an <see cref="AnonymisedFrame"/> means the pixels passed it. The pixels are its own copy (bgr24, packed rows).
/// </summary>
internal sealed class AnonymisedFrame
{
    private readonly byte[] _pixels;

    private AnonymisedFrame(byte[] pixels, int width, int height, long sequence, FrameTime time, bool maskedWhole)
    {
        _pixels = pixels;
        Width = width;
        Height = height;
        Sequence = sequence;
        Time = time;
        IsMaskedWhole = maskedWhole;
    }

    public ReadOnlySpan<byte> Pixels => _pixels.AsSpan(0, Width * Height * 3);

    public int Width { get; }

    public int Height { get; }

    public long Sequence { get; }

    public FrameTime Time { get; }

    /// <summary>True when the anonymiser could not run on the frame and blanked it whole (fail closed).</summary>
    public bool IsMaskedWhole { get; }

    /// <summary>
    /// Wraps pixels the anonymiser has obscured. <paramref name="pixels"/> becomes the frame's own; the caller
    /// (the clip path, after obscuring every region its policy names) must not touch it afterwards.
    /// </summary>
    internal static AnonymisedFrame Obscured(byte[] pixels, ClipFrame source) =>
        new(pixels, source.Width, source.Height, source.Sequence, source.Time, maskedWhole: false);

    /// <summary>The fail-closed frame: every pixel replaced by a flat fill, nothing of the source kept.</summary>
    internal static AnonymisedFrame MaskedWhole(ClipFrame source)
    {
        // A fresh array is zeroed: black, with nothing of the source in it.
        return new AnonymisedFrame(new byte[source.Width * source.Height * 3], source.Width, source.Height, source.Sequence, source.Time, maskedWhole: true);
    }
}
