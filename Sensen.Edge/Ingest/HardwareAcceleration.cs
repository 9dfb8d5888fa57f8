namespace Sensen.Edge.Ingest;

/// <summary>Decoder choice. <see cref="Auto"/> probes the hardware and falls back to software.</summary>
internal enum HardwareAcceleration
{
    Auto,
    None,
    Cuda,
    Vaapi,
    Jetson,
}
