namespace Sensen.Edge.Vault;

/// <summary>
/// How the camera stream behaved during the clip; a court may ask whether frames were missing.
/// <paramref name="FramesLostToClipMemory"/>: frames of the clip's window not recorded because the camera's clip
/// memory was full and the clip was cut there (0 in manifests written before the member existed).
/// </summary>
internal sealed record StreamHealth(long FramesAnalysed, long FramesDropped, int Reconnects, long StalledMilliseconds, long FramesLostToClipMemory = 0);
