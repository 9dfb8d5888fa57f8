namespace Sensen.Edge.Detection;

/// <summary>A secondary detector of a cascade: which primary boxes it crops and how much of each, from the top.</summary>
internal sealed record CascadeSecondary(OnnxDetector Detector, IReadOnlySet<ObjectClass> CropsOf, float CropHeight);
