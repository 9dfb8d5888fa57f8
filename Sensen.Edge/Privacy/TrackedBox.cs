using Sensen.Edge.Detection;

namespace Sensen.Edge.Privacy;

/// <summary>One tracked object's box on one clip frame, as the live path's tracker had it (filtered or predicted).</summary>
/// <param name="TrackId">The tracker's id, stable across the clip.</param>
/// <param name="Class">The class decided by vote.</param>
/// <param name="Box">Frame pixels.</param>
/// <param name="Observed">True when a detection backed the box on this frame, false for a prediction.</param>
internal readonly record struct TrackedBox(long TrackId, ObjectClass Class, BoxF Box, bool Observed);
