using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Tracking;

/// <summary>
/// A camera's tracker settings, <c>cameras[i].tracking</c> in the file (docs/CONFIG.md). Defaults are
/// ByteTrack's (track_thresh 0.5, low 0.1, new-track 0.6, first-association IoU 0.2), which suit detectors
/// whose confident boxes score above 0.6 (YOLO); CenterNet's boxes mostly score 0.4–0.7, so a camera on it
/// lowers <see cref="HighScore"/> and <see cref="NewTrackScore"/> (the composed demo scene uses 0.4 and 0.45).
/// </summary>
internal sealed record TrackingOptions
{
    /// <summary>Detections at or above this score take part in the first association.</summary>
    [Range(0.01, 1.0)]
    public double HighScore { get; init; } = 0.5;

    /// <summary>Detections below this score are ignored; between it and <see cref="HighScore"/> they only extend tracks.</summary>
    [Range(0.01, 1.0)]
    public double LowScore { get; init; } = 0.1;

    /// <summary>An unmatched detection starts a track only at or above this score.</summary>
    [Range(0.01, 1.0)]
    public double NewTrackScore { get; init; } = 0.6;

    /// <summary>Least IoU for the first association (confirmed and lost tracks with confident detections).</summary>
    [Range(0.01, 1.0)]
    public double MatchIou { get; init; } = 0.2;

    /// <summary>Detections (the first included) before a new track is confirmed and rules see it.</summary>
    [Range(1, 30)]
    public int ConfirmHits { get; init; } = 2;

    /// <summary>
    /// How far a new (tentative) track's box is grown on each side, in box sizes, when it is matched with the next
    /// detection: the buffered IoU of C-BIoU (Yang et al., WACV 2023). A new track has no velocity yet, so without
    /// it a vehicle that moves more than about a third of its height between analysed frames is never confirmed.
    /// 0 turns it off.
    /// </summary>
    [Range(0.0, 2.0)]
    public double TentativeBuffer { get; init; } = 0.5;

    /// <summary>How long a confirmed track survives without a detection (short occlusions) before it is removed.</summary>
    [Range(0.1, 60.0)]
    public double LostSeconds { get; init; } = 1.5;

    /// <summary>How long a lost track stays visible to rules on its prediction alone.</summary>
    [Range(0.0, 60.0)]
    public double CoastSeconds { get; init; } = 0.5;

    /// <summary>How long the bottom centre must stay put before a track counts as stationary.</summary>
    [Range(0.2, 60.0)]
    public double StationarySeconds { get; init; } = 1;

    /// <summary>The tracker's own settings.</summary>
    public TrackerOptions ToTrackerOptions() => new()
    {
        HighScore = (float)HighScore,
        LowScore = (float)LowScore,
        NewTrackScore = (float)NewTrackScore,
        FirstMatchIou = (float)MatchIou,
        ConfirmHits = ConfirmHits,
        TentativeBuffer = (float)TentativeBuffer,
        LostTimeout = TimeSpan.FromSeconds(LostSeconds),
        CoastTimeout = TimeSpan.FromSeconds(CoastSeconds),
        StationaryWindow = TimeSpan.FromSeconds(StationarySeconds),
    };
}
