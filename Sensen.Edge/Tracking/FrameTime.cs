namespace Sensen.Edge.Tracking;

/// <summary>
/// When a frame was taken: its presentation time (monotonic per camera, drives the motion model) and its
/// wall-clock capture time (UTC, what events and schedules are stated in). Two clocks, because an NTP step
/// must not look like a vehicle jumping.
/// </summary>
internal readonly record struct FrameTime(TimeSpan Pts, DateTimeOffset Wall);
