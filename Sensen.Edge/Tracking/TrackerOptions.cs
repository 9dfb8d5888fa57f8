namespace Sensen.Edge.Tracking;

/// <summary>
/// Tracker tuning. The defaults follow ByteTrack's reference implementation (track_thresh 0.5, low 0.1,
/// new-track 0.6, match IoU 0.2 / 0.5 / 0.3 for the three associations), with lost time and the
/// stationary thresholds in seconds and box heights so they hold at any frame rate and resolution.
/// </summary>
internal sealed record TrackerOptions
{
    /// <summary>Detections at or above this score take part in the first association.</summary>
    public float HighScore { get; init; } = 0.5f;

    /// <summary>Detections between this and <see cref="HighScore"/> only extend existing tracks (second association).</summary>
    public float LowScore { get; init; } = 0.1f;

    /// <summary>An unmatched detection starts a track only at or above this score.</summary>
    public float NewTrackScore { get; init; } = 0.6f;

    public float FirstMatchIou { get; init; } = 0.2f;

    public float SecondMatchIou { get; init; } = 0.5f;

    public float TentativeMatchIou { get; init; } = 0.3f;

    /// <summary>
    /// Growth of both boxes on each side, in box sizes, before the tentative tracks' IoU (C-BIoU's buffered IoU,
    /// Yang et al., WACV 2023): a new track has no velocity, so a fast vehicle's second box would miss its first.
    /// </summary>
    public float TentativeBuffer { get; init; } = 0.5f;

    /// <summary>Associated detections (the first included) before a tentative track is confirmed.</summary>
    public int ConfirmHits { get; init; } = 2;

    /// <summary>How long a confirmed track survives without a detection (short occlusions) before removal.</summary>
    public TimeSpan LostTimeout { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How long a lost track stays visible to rules on its prediction alone.</summary>
    public TimeSpan CoastTimeout { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>History entries kept per track (at 10 fps, 25 s).</summary>
    public int HistoryCapacity { get; init; } = 256;

    /// <summary>How long the bottom centre must stay put before the track counts as stationary.</summary>
    public TimeSpan StationaryWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Over <see cref="StationaryWindow"/> the bottom centre stays within this radius (box heights) to become stationary.</summary>
    public float StationaryEnterRadius { get; init; } = 0.08f;

    /// <summary>A stationary track moves off only beyond this distance (box heights) from where it stopped: the hysteresis.</summary>
    public float StationaryExitRadius { get; init; } = 0.3f;

    /// <summary>Detector noise: position standard deviation in box heights (ByteTrack's std_weight_position, 1/20).</summary>
    public float MeasurementNoise { get; init; } = 0.05f;

    /// <summary>Process noise: acceleration standard deviation in box heights per second squared.</summary>
    public float AccelerationNoise { get; init; } = 2f;

    /// <summary>Initial velocity standard deviation in box heights per second.</summary>
    public float InitialVelocityNoise { get; init; } = 2f;
}
