namespace Sensen.Edge.Tracking;

/// <summary>
/// A track's life (ByteTrack, Zhang et al. 2022, §3 and its reference tracker): born tentative from one
/// confident detection, confirmed once matched again, lost while unmatched (kept for re-association through
/// a short occlusion), removed when lost for too long or when a tentative track misses once.
/// </summary>
internal enum TrackState
{
    Tentative,
    Confirmed,
    Lost,
    Removed,
}
