namespace Sensen.Edge.Vault;

/// <summary>How the camera stream behaved during the clip; a court may ask whether frames were missing.</summary>
internal sealed record StreamHealth(long FramesAnalysed, long FramesDropped, int Reconnects, long StalledMilliseconds);
