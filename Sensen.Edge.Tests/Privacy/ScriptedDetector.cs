using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>
/// A clip-path detector at the seam whose finds the test chooses per frame sequence: on the whole frame it
/// reports them all; on a region (a crop) those whose centre lies in it, as a model run on the crop would.
/// Counts its calls, so a test can see the crops it was given.
/// </summary>
internal sealed class ScriptedDetector(string id, ObjectClass found, Dictionary<long, BoxF[]> script) : IClipDetector
{
    private static readonly Lazy<ModelDescriptor> Descriptor = new(() => ModelManifestReader.Read(RepoPaths.Models, "face-tiny"));

    public string Id => id;

    public ModelDescriptor Model => Descriptor.Value;

    public List<BoxF> Regions { get; } = [];

    public int WholeFrameCalls { get; private set; }

    public int Detect(Frame frame, List<DetectedObject> results)
    {
        WholeFrameCalls++;
        var boxes = script.GetValueOrDefault(frame.Sequence, []);
        results.AddRange(boxes.Select(b => new DetectedObject(b, found, 0.9f)));
        return boxes.Length;
    }

    public int Detect(Frame frame, BoxF region, List<DetectedObject> results)
    {
        Regions.Add(region);
        var inside = script.GetValueOrDefault(frame.Sequence, []).Where(b => (b.X1 + b.X2) / 2 >= region.X1 && (b.X1 + b.X2) / 2 < region.X2 && (b.Y1 + b.Y2) / 2 >= region.Y1 && (b.Y1 + b.Y2) / 2 < region.Y2).ToArray();
        results.AddRange(inside.Select(b => new DetectedObject(b, found, 0.9f)));
        return inside.Length;
    }
}
