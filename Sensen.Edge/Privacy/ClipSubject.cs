using Sensen.Edge.Tracking;

namespace Sensen.Edge.Privacy;

/// <summary>
/// Who a clip is about: the offending tracks of every event merged into it. Their plates stay readable;
/// every other plate, and every face and head (offenders' included), is obscured.
/// </summary>
/// <param name="CameraId">The camera.</param>
/// <param name="Offenders">Per offending track, its boxes over the event window as the rule saw them (oldest first).</param>
internal sealed record ClipSubject(string CameraId, IReadOnlyDictionary<long, IReadOnlyList<TrackPoint>> Offenders);
