namespace Sensen.Edge.Demo;

/// <summary>The <c>demo</c> verb's options.</summary>
/// <param name="OutDirectory">Where everything goes (<c>demo-out</c>).</param>
/// <param name="SceneSeconds">The composed scene's length (<see cref="SceneSpec.Seconds"/>).</param>
/// <param name="Assets">The repository holding <c>.cache/</c> and <c>models/</c>; null: found by <see cref="DemoAssets.Find"/>.</param>
/// <param name="TimeoutSeconds">How long the daemon may run before the demo gives up and says what is missing.</param>
/// <param name="Camera"><c>auto</c>, <c>rtsp</c> or <c>file</c> (<see cref="DemoCamera.StartAsync"/>).</param>
internal sealed record DemoSettings(string OutDirectory, double SceneSeconds, string? Assets, double TimeoutSeconds, string Camera = "auto");
