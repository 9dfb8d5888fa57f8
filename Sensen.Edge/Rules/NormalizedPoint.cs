namespace Sensen.Edge.Rules;

/// <summary>A point in normalised image coordinates; written in YAML as <c>[x, y]</c>.</summary>
internal readonly record struct NormalizedPoint(double X, double Y);
