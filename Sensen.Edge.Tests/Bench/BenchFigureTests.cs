using Sensen.Edge.Bench;

namespace Sensen.Edge.Tests.Bench;

public sealed class BenchFigureTests
{
    [Test]
    public void Ratio_ValueOverLimit()
    {
        var figure = new BenchFigure("ingest", "720p vs ffmpeg", 249, 342, "fps", BenchGoal.Minimum(0.95));

        Assert.That(figure.Ratio, Is.EqualTo(249.0 / 342).Within(1e-12));
        Assert.That(figure.Met, Is.False);
    }

    [TestCase(0.0, 2.0, 0.0)]
    [TestCase(3.0, 2.0, 1.5)]
    public void Ratio_FiniteLimit_IsTheQuotient(double value, double limit, double expected) =>
        Assert.That(BenchFigure.RatioOf(value, limit), Is.EqualTo(expected));

    [TestCase(1.0, 0.0)]
    [TestCase(double.NaN, 2.0)]
    [TestCase(1.0, double.PositiveInfinity)]
    public void Ratio_NoUsableLimit_IsNaNAndMeetsNoGoal(double value, double limit)
    {
        var figure = new BenchFigure("s", "w", value, limit, "ms", BenchGoal.Maximum(1));

        Assert.That(double.IsNaN(figure.Ratio), Is.True);
        Assert.That(figure.Met, Is.False);
    }

    [TestCase(true, 0.9, 0.9, true)]
    [TestCase(true, 0.9, 0.899, false)]
    [TestCase(false, 1.0, 1.0, true)]
    [TestCase(false, 1.0, 1.001, false)]
    public void Goal_AtLeastOrAtMost_MetAtTheBoundary(bool atLeast, double goal, double ratio, bool met) =>
        Assert.That(new BenchGoal(atLeast, goal).IsMetBy(ratio), Is.EqualTo(met));

    [Test]
    public void Met_NoGoal_IsNull() =>
        Assert.That(new BenchFigure("cascade", "w", 190, 135, "ms").Met, Is.Null);

    [TestCase(0.3654, "0.365")]
    [TestCase(15.64, "15.6")]
    [TestCase(249.4, "249")]
    [TestCase(2.384, "2.38")]
    [TestCase(2.0, "2")]
    [TestCase(0.0, "0")]
    [TestCase(double.NaN, "n/a")]
    public void Format_AboutThreeSignificantFigures(double value, string expected) =>
        Assert.That(BenchFigure.Format(value), Is.EqualTo(expected));

    [Test]
    public void Goal_ToString_SaysDirection()
    {
        Assert.That(BenchGoal.Minimum(0.95).ToString(), Is.EqualTo("≥ 0.95"));
        Assert.That(BenchGoal.Maximum(1).ToString(), Is.EqualTo("≤ 1"));
    }
}
