namespace Sensen.Edge.Ingest;

/// <summary>The camera's own stream as ffmpeg reported it, before scaling to the analysis size.</summary>
/// <param name="Codec">ffmpeg's codec name, e.g. <c>h264</c>, <c>hevc</c>.</param>
/// <param name="Profile">The codec profile when ffmpeg names one, e.g. <c>High</c>.</param>
/// <param name="Width">Coded width in pixels.</param>
/// <param name="Height">Coded height in pixels.</param>
/// <param name="Fps">The stream's nominal frame rate, when it declares one.</param>
internal sealed record StreamInfo(string Codec, string? Profile, int Width, int Height, double? Fps)
{
    public override string ToString()
    {
        var profile = Profile is null ? "" : $" ({Profile})";
        var fps = Fps is { } f ? $" @ {f:0.##} fps" : "";
        return $"{Codec}{profile} {Width}x{Height}{fps}";
    }
}
