using Sensen.Edge.Detection;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Tracking;

/// <summary>
/// Ground-truth trajectories and a detector that sees them badly, for tracker tests: Gaussian box noise,
/// random misses, and the farther of two overlapping objects missed or scored low (occlusion), as a real
/// detector does. Seeded, so every run sees the same scene.
/// </summary>
internal sealed class SyntheticTraffic
{
    private readonly Random _random;
    private readonly List<Mover> _movers = [];

    public SyntheticTraffic(int seed) => _random = new Random(seed);

    public double PositionNoise { get; init; } = 1.5;

    public double MissRate { get; init; } = 0.08;

    public double OccludedMissRate { get; init; } = 0.5;

    /// <summary>Spurious low-score boxes per frame (probability of one).</summary>
    public double FalsePositiveRate { get; init; } = 0.1;

    public IReadOnlyList<Mover> Movers => _movers;

    public void Add(int id, double x, double y, double vx, double vy, double width, double height, double from, double to, ObjectClass objectClass = ObjectClass.Car) =>
        _movers.Add(new Mover(id, x, y, vx, vy, width, height, from, to, objectClass));

    /// <summary>The true boxes at <paramref name="t"/> seconds.</summary>
    public void Truth(double t, List<(int Id, BoxF Box)> truth)
    {
        truth.Clear();
        foreach (var m in _movers)
        {
            if (t >= m.From && t < m.To)
            {
                var dt = t - m.From;
                truth.Add((m.Id, BoxF.FromCenter((float)(m.X + (m.Vx * dt)), (float)(m.Y + (m.Vy * dt)), (float)m.Width, (float)m.Height)));
            }
        }
    }

    /// <summary>What the detector reports for <paramref name="truth"/>.</summary>
    public void Detect(List<(int Id, BoxF Box)> truth, List<DetectedObject> detections)
    {
        detections.Clear();
        foreach (var (id, box) in truth)
        {
            var occluded = truth.Exists(o => o.Id != id && o.Box.IntersectionOverUnion(box) > 0.15 && o.Box.Y2 > box.Y2);
            var score = (float)(0.65 + (0.3 * _random.NextDouble()));
            if (occluded)
            {
                if (_random.NextDouble() < OccludedMissRate)
                {
                    continue;
                }

                score = (float)(0.15 + (0.3 * _random.NextDouble()));
            }
            else if (_random.NextDouble() < MissRate)
            {
                continue;
            }

            var cx = ((box.X1 + box.X2) / 2) + Gaussian(PositionNoise);
            var cy = ((box.Y1 + box.Y2) / 2) + Gaussian(PositionNoise);
            var w = box.Width + Gaussian(PositionNoise);
            var h = box.Height + Gaussian(PositionNoise);
            var m = _movers.Find(x => x.Id == id)!;
            detections.Add(new DetectedObject(BoxF.FromCenter(cx, cy, w, h), m.Class, score));
        }

        if (_random.NextDouble() < FalsePositiveRate)
        {
            detections.Add(new DetectedObject(BoxF.FromCenter((float)(_random.NextDouble() * 1280), (float)(_random.NextDouble() * 720), 60, 40), ObjectClass.Car, (float)(0.1 + (0.35 * _random.NextDouble()))));
        }
    }

    private float Gaussian(double sigma)
    {
        // Box–Muller.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    internal sealed record Mover(int Id, double X, double Y, double Vx, double Vy, double Width, double Height, double From, double To, ObjectClass Class);
}
