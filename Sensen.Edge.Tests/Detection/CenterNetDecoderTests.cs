using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Detection;

/// <summary>The centernet decoder on hand-made heatmaps, where the expected boxes follow from the graph's own post-processing.</summary>
internal sealed class CenterNetDecoderTests
{
    private const int Grid = 8;
    private const int Classes = 3;
    private const int Stride = 4;

    private static readonly ClassLookup Lookup = new(Classes, [new ClassMapEntry { Index = 0, Class = ObjectClass.Person }, new ClassMapEntry { Index = 2, Class = ObjectClass.Car }]);

    [Test]
    public void Decode_OnePeak_BoxFromCellAndExtents()
    {
        var (heat, extents) = Empty();
        Set(heat, extents, x: 3, y: 5, c: 2, score: 0.9f, [4, 6, 8, 10]);

        var found = new List<DetectedObject>();
        CenterNetDecoder.Decode(heat, extents, Grid, Grid, Stride, Lookup, 0.3f, 100, found);

        Assert.That(found, Is.EqualTo(new[] { new DetectedObject(new BoxF((3 * 4) - 4, (5 * 4) - 6, (3 * 4) + 8, (5 * 4) + 10), ObjectClass.Car, 0.9f, 2) }));
    }

    [Test]
    public void Decode_NeighbourOfAStrongerCell_IsNotAPeak()
    {
        var (heat, extents) = Empty();
        Set(heat, extents, 3, 3, 0, 0.9f, [1, 1, 1, 1]);
        Set(heat, extents, 4, 4, 0, 0.8f, [1, 1, 1, 1]);

        // The same cell in another class plane is compared only with its own class.
        Set(heat, extents, 4, 4, 2, 0.7f, [1, 1, 1, 1]);

        var found = new List<DetectedObject>();
        CenterNetDecoder.Decode(heat, extents, Grid, Grid, Stride, Lookup, 0.3f, 100, found);

        Assert.That(found.Select(d => (d.Class, d.Score)), Is.EquivalentTo(new[] { (ObjectClass.Person, 0.9f), (ObjectClass.Car, 0.7f) }));
    }

    [Test]
    public void Decode_MorePeaksThanTopK_KeepsTheBestBeforeMappingClasses()
    {
        var (heat, extents) = Empty();
        Set(heat, extents, 0, 0, 1, 0.95f, [1, 1, 1, 1]); // unmapped class: ranked, then dropped
        Set(heat, extents, 2, 0, 0, 0.9f, [1, 1, 1, 1]);
        Set(heat, extents, 4, 0, 0, 0.8f, [1, 1, 1, 1]);
        Set(heat, extents, 6, 0, 0, 0.7f, [1, 1, 1, 1]);

        var found = new List<DetectedObject>();
        CenterNetDecoder.Decode(heat, extents, Grid, Grid, Stride, Lookup, 0.3f, 3, found);

        Assert.That(found.Select(d => d.Score), Is.EquivalentTo(new[] { 0.9f, 0.8f }));
    }

    [Test]
    public void Decode_EverythingBelowThreshold_FindsNothing()
    {
        var (heat, extents) = Empty();
        Array.Fill(heat, 0.29f);

        var found = new List<DetectedObject>();
        CenterNetDecoder.Decode(heat, extents, Grid, Grid, Stride, Lookup, 0.3f, 100, found);

        Assert.That(found, Is.Empty);
    }

    private static (float[] Heat, float[] Extents) Empty() => (new float[Grid * Grid * Classes], new float[Grid * Grid * 4]);

    private static void Set(float[] heat, float[] extents, int x, int y, int c, float score, float[] ltrb)
    {
        var cell = (y * Grid) + x;
        heat[(cell * Classes) + c] = score;
        ltrb.CopyTo(extents, cell * 4);
    }
}
