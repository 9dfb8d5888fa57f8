namespace Sensen.Edge.Frames;

/// <summary>Packed pixel layouts that frames travel in. Names follow ffmpeg's <c>-pix_fmt</c>.</summary>
internal enum PixelFormat
{
    /// <summary>8-bit B, G, R per pixel, rows packed without padding (ffmpeg <c>bgr24</c>).</summary>
    Bgr24,

    /// <summary>8-bit luma only (ffmpeg <c>gray</c>).</summary>
    Gray8,
}
