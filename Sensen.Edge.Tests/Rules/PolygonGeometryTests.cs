using Sensen.Edge.Rules;

namespace Sensen.Edge.Tests.Rules;

public sealed class PolygonGeometryTests
{
    private static NormalizedPoint[] P(params double[] xy) =>
        Enumerable.Range(0, xy.Length / 2).Select(i => new NormalizedPoint(xy[2 * i], xy[(2 * i) + 1])).ToArray();

    [Test]
    public void IsSimple_ConvexAndConcave_True()
    {
        Assert.That(PolygonGeometry.IsSimple(P(0, 0, 1, 0, 1, 1, 0, 1)), Is.True);
        Assert.That(PolygonGeometry.IsSimple(P(0, 0, 1, 0, 0.5, 0.5, 1, 1, 0, 1)), Is.True, "an arrow-head (concave) zone is fine");
    }

    [Test]
    public void IsSimple_BowTie_False() =>
        Assert.That(PolygonGeometry.IsSimple(P(0, 0, 1, 1, 1, 0, 0, 1)), Is.False);

    [Test]
    public void IsSimple_EdgeTouchingAnotherVertex_False() =>
        Assert.That(PolygonGeometry.IsSimple(P(0, 0, 1, 0, 1, 1, 0.5, 0, 0, 1)), Is.False);

    [Test]
    public void SignedArea2_UnitSquare_IsTwiceOne()
    {
        Assert.That(PolygonGeometry.SignedArea2(P(0, 0, 1, 0, 1, 1, 0, 1)), Is.EqualTo(2).Within(1e-12));
        Assert.That(PolygonGeometry.SignedArea2(P(0, 0, 0.5, 0.5, 1, 1)), Is.EqualTo(0).Within(1e-12));
    }
}
