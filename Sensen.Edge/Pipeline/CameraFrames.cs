namespace Sensen.Edge.Pipeline;

/// <summary>
/// What the pipeline needs to know about a camera to build its edges and size its pool: its id and the size
/// and rate at which its frames enter. Kept apart from the ingest options so that Pipeline depends on no stage's
/// configuration (the host maps one onto the other).
/// </summary>
internal readonly record struct CameraFrames(string Id, int Width, int Height, double Fps);
