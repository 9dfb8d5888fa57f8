namespace Sensen.Edge.Demo.Report;

/// <summary>One frame of a received clip as the report shows it.</summary>
/// <param name="File">The PNG's name, relative to the report.</param>
/// <param name="FrameIndex">The frame's index in the clip (0-based).</param>
/// <param name="Caption">What the frame is (first seen, the violation, last seen) and when.</param>
/// <param name="BoxDrawn">Whether the offender's box is drawn on it.</param>
internal sealed record ReportStill(string File, int FrameIndex, string Caption, bool BoxDrawn);
