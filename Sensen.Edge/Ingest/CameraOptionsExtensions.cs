using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Ingest;

/// <summary>The ingest options of a camera as the pipeline sees them.</summary>
internal static class CameraOptionsExtensions
{
    /// <summary>The camera's id and analysis size and rate: the frames its pipeline carries.</summary>
    public static CameraFrames Frames(this CameraOptions camera) =>
        new(camera.Id, camera.Analysis.Width, camera.Analysis.Height, camera.Analysis.Fps);
}
