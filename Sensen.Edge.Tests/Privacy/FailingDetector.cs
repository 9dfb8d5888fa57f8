using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Privacy;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>A real detector at the seam that is forced to fail (as an inference error would) on one frame sequence.</summary>
internal sealed class FailingDetector(IClipDetector inner, long failOn) : IClipDetector
{
    public string Id => inner.Id;

    public ModelDescriptor Model => inner.Model;

    public int Detect(Frame frame, List<DetectedObject> results) =>
        frame.Sequence == failOn ? throw new InferenceException($"forced failure on frame {failOn}") : inner.Detect(frame, results);

    public int Detect(Frame frame, BoxF region, List<DetectedObject> results) =>
        frame.Sequence == failOn ? throw new InferenceException($"forced failure on frame {failOn}") : inner.Detect(frame, region, results);
}
