namespace Sensen.Edge.Frames;

/// <summary>Sizes and ffmpeg names of the <see cref="PixelFormat"/>s.</summary>
internal static class PixelFormats
{
    public static int BytesPerPixel(PixelFormat format) => format switch
    {
        PixelFormat.Bgr24 => 3,
        PixelFormat.Gray8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static int FrameBytes(PixelFormat format, int width, int height) => BytesPerPixel(format) * width * height;

    public static string FfmpegName(PixelFormat format) => format switch
    {
        PixelFormat.Bgr24 => "bgr24",
        PixelFormat.Gray8 => "gray",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
