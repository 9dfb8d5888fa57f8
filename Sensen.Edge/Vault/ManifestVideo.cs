namespace Sensen.Edge.Vault;

/// <summary>How the clip was encoded: encoder, frame size, frame count and nominal rate.</summary>
internal sealed record ManifestVideo
{
    public static ManifestVideo None { get; } = new() { Encoder = "none", Width = 0, Height = 0, Frames = 0, FrameRateMillihertz = 0 };

    /// <summary>The ffmpeg encoder (<c>libx264</c>, <c>h264_nvenc</c>, ...).</summary>
    public required string Encoder { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int Frames { get; init; }

    /// <summary>Frames per second × 1000.</summary>
    public required int FrameRateMillihertz { get; init; }
}
