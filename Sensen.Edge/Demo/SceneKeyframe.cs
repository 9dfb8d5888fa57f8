namespace Sensen.Edge.Demo;

/// <summary>An actor's top-left corner on the 1280×720 base canvas at a time of the 12 s base script; linear in between.</summary>
internal readonly record struct SceneKeyframe(double Seconds, double X, double Y);
