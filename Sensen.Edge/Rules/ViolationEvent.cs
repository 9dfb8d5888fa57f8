using System.Globalization;
using System.Text;
using Sensen.Edge.Detection;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>
/// One violation: which rule, where, when, by whom, and what was measured. The offender's boxes over the
/// window (frame pixels, with their frame times) let the clip path find the offender's plate and leave it
/// readable while obscuring everything else. Measured values are null where the rule does not measure them.
/// </summary>
internal sealed record ViolationEvent
{
    public required string RuleId { get; init; }

    public required RuleKind Kind { get; init; }

    public required string CameraId { get; init; }

    public required long TrackId { get; init; }

    public required ObjectClass Class { get; init; }

    /// <summary>When the offence began (entered the lane, stopped, first line crossed), UTC.</summary>
    public required DateTimeOffset WindowStart { get; init; }

    /// <summary>When the rule decided (the frame that completed the offence), UTC.</summary>
    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>The offender's track over the window, oldest first (as much as the track's history holds).</summary>
    public required IReadOnlyList<TrackPoint> Boxes { get; init; }

    /// <summary>The frame size the boxes are in.</summary>
    public required int FrameWidth { get; init; }

    public required int FrameHeight { get; init; }

    /// <summary>Track confidence × the share of the class vote (0..1).</summary>
    public required double Confidence { get; init; }

    public double? DwellSeconds { get; init; }

    public double? SpeedKmh { get; init; }

    /// <summary>Expanded uncertainty (k = 2) of <see cref="SpeedKmh"/>, from frame interval and line geometry.</summary>
    public double? SpeedUncertaintyKmh { get; init; }

    public SignalPhase? Signal { get; init; }

    /// <summary>How long the signal had been red when the stop line was crossed.</summary>
    public double? RedSeconds { get; init; }

    /// <summary>Net travel against the permitted direction (wrong_way), in image fractions.</summary>
    public double? WrongWayTravel { get; init; }

    /// <summary>Every field on one line, for the log until Recording takes events.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"rule {RuleId} ({Kind}) camera {CameraId} track {TrackId} {Class.ToString().ToLowerInvariant()}");
        text.Append(c, $" from {WindowStart:O} to {WindowEnd:O} confidence {Confidence:0.00}");
        if (DwellSeconds is { } dwell)
        {
            text.Append(c, $" dwell {dwell:0.0} s");
        }

        if (SpeedKmh is { } speed)
        {
            text.Append(c, $" speed {speed:0.0} ± {SpeedUncertaintyKmh ?? 0:0.0} km/h");
        }

        if (Signal is { } signal)
        {
            text.Append(c, $" signal {signal.ToString().ToLowerInvariant()} for {RedSeconds ?? 0:0.00} s");
        }

        if (WrongWayTravel is { } travel)
        {
            text.Append(c, $" wrong-way travel {travel:0.000}");
        }

        text.Append(c, $"; {Boxes.Count} boxes in {FrameWidth}x{FrameHeight}");
        if (Boxes.Count > 0)
        {
            text.Append(c, $", first {Boxes[0].Box} last {Boxes[^1].Box}");
        }

        return text.ToString();
    }
}
