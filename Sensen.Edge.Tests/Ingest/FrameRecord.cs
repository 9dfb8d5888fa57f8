using Sensen.Edge.Frames;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>What a test keeps of a frame after releasing it.</summary>
internal sealed record FrameRecord(long Sequence, TimeSpan Pts, DateTimeOffset CaptureTime, int Width, int Height, PixelFormat Format, long PixelSum);
