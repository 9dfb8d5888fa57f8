using Sensen.Edge.Frames;

namespace Sensen.Edge.Detection;

/// <summary>
/// The seam the pipeline calls per frame. One instance serves every camera it is configured for;
/// calls are thread-safe. Implementations allocate nothing per frame beyond growing <c>results</c>.
/// </summary>
internal interface IDetector
{
    /// <summary>The detector's id from the configuration (<c>detectors[].id</c>).</summary>
    string Id { get; }

    /// <summary>Classes this detector can report (from its manifest's class map).</summary>
    IReadOnlySet<ObjectClass> Classes { get; }

    /// <summary>
    /// Finds objects in a BGR24 frame and appends them to <paramref name="results"/>, boxes in frame pixels,
    /// best first after class-wise NMS. Returns how many were appended. The frame is only read during the call.
    /// </summary>
    int Detect(Frame frame, List<DetectedObject> results);
}
