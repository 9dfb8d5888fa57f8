namespace Sensen.Edge.Demo;

/// <summary>One object of the scene, the same in every frame it appears in.</summary>
/// <param name="Id">Stable id (<c>car-bus-lane</c>, <c>person-1</c>), named by the per-frame boxes and the violations.</param>
/// <param name="Class">The project class a detector should report (<c>car</c>, <c>person</c>).</param>
/// <param name="Role">Offender, bystander or pedestrian.</param>
/// <param name="PlateText">The plate's text, rendered with a real font; null for a person.</param>
/// <param name="Source">The photograph it was cut from and the crop, in that photograph's pixels.</param>
internal sealed record SceneObject(string Id, string Class, SceneRole Role, string? PlateText, string Source);
