using Sensen.Edge.Detection;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Privacy;

/// <summary>
/// A detector as the clip path uses it: on the whole frame and on a region of it (a person's upper part, a
/// vehicle), scaled to the model's input. <see cref="OnnxClipDetector"/> is the real one; tests put a
/// failing one here to prove the clip path fails closed.
/// </summary>
internal interface IClipDetector
{
    string Id { get; }

    /// <summary>The model it runs, for the summary's model hashes.</summary>
    ModelDescriptor Model { get; }

    int Detect(Frame frame, List<DetectedObject> results);

    int Detect(Frame frame, BoxF region, List<DetectedObject> results);
}
