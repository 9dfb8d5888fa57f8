namespace Sensen.Edge.Detection;

/// <summary>
/// One thing a detector found in one frame: its box in frame pixels, the project class and the score.
/// (Named so because <c>Detection</c> is the namespace.)
/// </summary>
/// <param name="Box">Corners in frame pixels, clipped to the frame.</param>
/// <param name="Class">The project class the model's label maps onto.</param>
/// <param name="Score">Confidence in 0..1.</param>
/// <param name="ClassIndex">The model's own class index, for diagnostics.</param>
internal readonly record struct DetectedObject(BoxF Box, ObjectClass Class, float Score, int ClassIndex = 0)
{
    public override string ToString() => FormattableString.Invariant($"{Class} {Score:0.000} {Box}");
}
