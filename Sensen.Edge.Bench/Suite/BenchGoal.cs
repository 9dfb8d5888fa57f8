using System.Globalization;

namespace Sensen.Edge.Bench;

/// <summary>
/// What a figure's ratio (value / limit) must reach: at least <see cref="Ratio"/> for rates (fps, MiB/s, where
/// the limit is the fastest anything could go), at most for costs (ms, MiB, where the limit is the budget).
/// </summary>
internal readonly record struct BenchGoal(bool AtLeast, double Ratio)
{
    public static BenchGoal Minimum(double ratio) => new(true, ratio);

    public static BenchGoal Maximum(double ratio) => new(false, ratio);

    /// <summary>Whether <paramref name="ratio"/> meets the goal; a ratio that is not a number meets nothing.</summary>
    public bool IsMetBy(double ratio) => double.IsFinite(ratio) && (AtLeast ? ratio >= Ratio : ratio <= Ratio);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(AtLeast ? "≥" : "≤")} {Ratio:0.##}");
}
