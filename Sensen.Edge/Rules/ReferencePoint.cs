namespace Sensen.Edge.Rules;

/// <summary>
/// The point of a box that zones and lines are tested against. Bottom centre by default: where the wheels
/// meet the road, so a tall vehicle's roof leaning over a lane line does not put it in the lane.
/// </summary>
internal enum ReferencePoint
{
    BottomCentre,
    Centre,
    TopCentre,
}
