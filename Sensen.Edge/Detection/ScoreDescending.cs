namespace Sensen.Edge.Detection;

/// <summary>
/// Orders detections best first. A cached <see cref="Comparison{T}"/>, because sorting with an
/// <see cref="IComparer{T}"/> makes a delegate per call (ArraySortHelper) and the steady state allocates nothing.
/// </summary>
internal static class ScoreDescending
{
    public static readonly Comparison<DetectedObject> Comparison = static (x, y) => y.Score.CompareTo(x.Score);
}
