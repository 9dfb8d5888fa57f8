namespace Sensen.Edge.Demo;

/// <summary>The ground truth of one frame of the composed clip.</summary>
/// <param name="Index">Frame number from 0.</param>
/// <param name="Seconds">Presentation time: <c>Index / fps</c>.</param>
/// <param name="Objects">Every object with a visible part in this frame.</param>
/// <param name="Red">Whether the signal's red lamp is lit.</param>
internal sealed record SceneFrame(int Index, double Seconds, IReadOnlyList<SceneObjectBox> Objects, bool Red);
