namespace Sensen.Edge.Privacy;

/// <summary>The best reading of an offender's plate across a clip.</summary>
/// <param name="TrackId">The offending track.</param>
/// <param name="Text">What the recogniser read.</param>
/// <param name="Confidence">The recogniser's score, 0..1.</param>
/// <param name="FrameSequence">The frame it was read on.</param>
internal sealed record PlateRead(long TrackId, string Text, float Confidence, long FrameSequence);
