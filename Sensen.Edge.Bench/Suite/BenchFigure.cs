using System.Globalization;

namespace Sensen.Edge.Bench;

/// <summary>
/// One figure of a benchmark: our stage's <see cref="Value"/> beside its <see cref="Limit"/> (what the same
/// work costs without us: ffmpeg alone, a bare <c>session.Run</c>, <c>mosquitto_pub</c>, or a budget), both in
/// <see cref="Unit"/> and measured in the same run, so that the ratio holds on a noisy shared machine where
/// the absolute figures do not.
/// </summary>
internal sealed record BenchFigure(string Stage, string What, double Value, double Limit, string Unit, BenchGoal? Goal = null)
{
    /// <summary>Value / limit; not a number when the limit is zero or either side is not a number.</summary>
    public double Ratio => RatioOf(Value, Limit);

    /// <summary>Null when the figure has no goal (it is there to show where time goes).</summary>
    public bool? Met => Goal is { } goal ? goal.IsMetBy(Ratio) : null;

    public static double RatioOf(double value, double limit) =>
        double.IsFinite(value) && double.IsFinite(limit) && limit != 0 ? value / limit : double.NaN;

    /// <summary>Three significant figures or so: <c>0.365</c>, <c>15.6</c>, <c>249</c>; whole numbers (a camera count, a budget) as such; <c>n/a</c> for not a number.</summary>
    public static string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            return "n/a";
        }

        if (value == Math.Round(value))
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }

        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 ? "0" : magnitude >= 10 ? "0.0" : magnitude >= 1 ? "0.00" : "0.000";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The figure as one console line, as the suite prints it while it runs.</summary>
    public override string ToString()
    {
        var ratio = double.IsFinite(Ratio) ? Ratio.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
        var goal = Goal is { } g ? $"  goal {g}: {(Met == true ? "met" : "not met")}" : string.Empty;
        return $"{Stage,-10} {What}: {Format(Value)} {Unit} / {Format(Limit)} {Unit} = ratio {ratio}{goal}";
    }
}
