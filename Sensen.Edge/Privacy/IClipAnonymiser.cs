namespace Sensen.Edge.Privacy;

/// <summary>
/// The seam between Recording and Privacy: Recording opens one anonymisation per clip and feeds it the clip's
/// raw frames; it never sees raw pixels leave. The real implementation runs the clip path's detectors; tests
/// of Recording may stand in for it here.
/// </summary>
internal interface IClipAnonymiser
{
    IClipAnonymisation Open(ClipSubject subject);
}
