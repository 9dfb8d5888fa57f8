using Sensen.Edge.Detection;
using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Rules;

/// <summary>One violation rule on one camera. Which fields apply depends on <see cref="Type"/>.</summary>
internal sealed record RuleOptions
{
    [Required]
    public string Id { get; init; } = "";

    [Required]
    public RuleKind? Type { get; init; }

    /// <summary>Zone the rule watches (bus_lane, no_stopping; optional for the others).</summary>
    public string? Zone { get; init; }

    /// <summary>Stop line (red_light), direction line (wrong_way), first line (speed).</summary>
    public string? Line { get; init; }

    /// <summary>Second line for average speed between two lines (speed).</summary>
    public string? SecondLine { get; init; }

    /// <summary>
    /// Which way across <see cref="Line"/> counts: the controlled direction (red_light), the permitted direction
    /// of travel (wrong_way), the direction timed (speed; both ways when unset).
    /// </summary>
    public LineDirection? Direction { get; init; }

    /// <summary>Vehicle classes the rule applies to.</summary>
    public IReadOnlyList<ObjectClass> Classes { get; init; } = [ObjectClass.Car, ObjectClass.Truck, ObjectClass.Motorcycle];

    /// <summary>How long a vehicle must stay before it counts (no_stopping, bus_lane).</summary>
    [Range(0, 3600)]
    public double DwellSeconds { get; init; } = 5;

    [Range(1, 300)]
    public double? SpeedLimitKmh { get; init; }

    /// <summary>Road distance between <see cref="Line"/> and <see cref="SecondLine"/> (speed), surveyed on site.</summary>
    [Range(1, 1000)]
    public double? DistanceMetres { get; init; }

    /// <summary>Speed above the limit that is still tolerated (speed).</summary>
    [Range(0, 50)]
    public double ToleranceKmh { get; init; } = 3;

    /// <summary>Net travel against the permitted direction, in image fractions, before it counts (wrong_way).</summary>
    [Range(0.01, 1)]
    public double MinTravel { get; init; } = 0.1;

    /// <summary>Tracks with a lower mean detection score never raise the rule.</summary>
    [Range(0, 1)]
    public double MinConfidence { get; init; } = 0.5;

    /// <summary>After an event the rule stays quiet this long; offences meanwhile are counted, not raised.</summary>
    [Range(0, 3600)]
    public double CooldownSeconds { get; init; }

    /// <summary>Which point of the vehicle's box is tested against zones and lines.</summary>
    public ReferencePoint ReferencePoint { get; init; } = ReferencePoint.BottomCentre;

    /// <summary>When the rule is in force, e.g. <c>"Mon-Fri 07:00-09:30"</c>; always when empty.</summary>
    public IReadOnlyList<string> Schedule { get; init; } = [];

    /// <summary>Where the signal state comes from (red_light): a region of the image or an MQTT feed.</summary>
    public SignalOptions? Signal { get; init; }
}
