using Sensen.Edge.Detection;

namespace Sensen.Edge.Tracking;

/// <summary>One entry of a track's history: the filtered box at a frame, and whether a detection backed it.</summary>
/// <param name="Time">The frame's times.</param>
/// <param name="Box">The Kalman estimate after the frame (a prediction when <paramref name="Observed"/> is false).</param>
/// <param name="Observed">True when a detection was associated on that frame.</param>
/// <param name="Score">The associated detection's score; 0 for a prediction.</param>
internal readonly record struct TrackPoint(FrameTime Time, BoxF Box, bool Observed, float Score);
