namespace Sensen.Edge.Detection;

/// <summary>Orders detections best first; one shared instance, so sorting allocates nothing.</summary>
internal sealed class ScoreDescending : IComparer<DetectedObject>
{
    public static readonly ScoreDescending Instance = new();

    public int Compare(DetectedObject x, DetectedObject y) => y.Score.CompareTo(x.Score);
}
