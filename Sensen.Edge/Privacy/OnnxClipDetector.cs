using Sensen.Edge.Detection;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Privacy;

/// <summary>A configured <see cref="OnnxDetector"/> (its session shared with the live path) as a clip-path detector.</summary>
internal sealed class OnnxClipDetector(OnnxDetector detector) : IClipDetector
{
    public string Id => detector.Id;

    public ModelDescriptor Model => detector.Model;

    public int Detect(Frame frame, List<DetectedObject> results) => detector.Detect(frame, results);

    public int Detect(Frame frame, BoxF region, List<DetectedObject> results) => detector.Detect(frame, region, results);
}
