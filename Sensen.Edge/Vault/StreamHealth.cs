namespace Sensen.Edge.Vault;

/// <summary>
/// How the camera stream behaved during the clip; a court may ask whether frames were missing.
/// <paramref name="FramesLostToClipMemory"/>: frames of the clip's window not recorded because the camera's clip
/// memory was full and the clip was cut there. Required from <c>sensen-evidence/4</c>; null (absent on the wire)
/// only in a <c>sensen-evidence/3</c> manifest, sealed before the member existed (optional here for that reader
/// only: a sealer always passes it, and the manifest rules refuse a format 4 without it).
/// </summary>
internal sealed record StreamHealth(long FramesAnalysed, long FramesDropped, int Reconnects, long StalledMilliseconds, long? FramesLostToClipMemory = null);
