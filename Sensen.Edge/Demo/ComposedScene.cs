namespace Sensen.Edge.Demo;

/// <summary>What <see cref="SceneComposer.ComposeAsync"/> made: the clip, its ground truth and a matching configuration.</summary>
/// <param name="ClipPath">H.264 in MP4.</param>
/// <param name="GroundTruthPath">The ground truth as JSON (<see cref="SceneGroundTruth.ToJson"/>).</param>
/// <param name="GroundTruth">The same, in memory.</param>
/// <param name="ConfigPath">The camera, detectors, zones and rules in the scene's coordinates (YAML).</param>
/// <param name="ConfigYaml">The same text.</param>
internal sealed record ComposedScene(string ClipPath, string GroundTruthPath, SceneGroundTruth GroundTruth, string ConfigPath, string ConfigYaml);
