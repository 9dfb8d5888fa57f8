namespace Sensen.Edge.Demo;

/// <summary>Where one object is in one frame, in frame pixels, clipped to the frame.</summary>
/// <param name="ObjectId">The <see cref="SceneObject.Id"/>.</param>
/// <param name="Box">The pasted photograph's visible rectangle (for a vehicle its outline; for a person the cut-out).</param>
/// <param name="Visible">Share of the object's rectangle inside the frame (0..1).</param>
/// <param name="Plate">The plate's rectangle, null when the object has none or it is outside the frame.</param>
/// <param name="Face">The face's rectangle, null when the object has none or it is outside the frame.</param>
internal sealed record SceneObjectBox(string ObjectId, PixelBox Box, double Visible, PixelBox? Plate, PixelBox? Face);
