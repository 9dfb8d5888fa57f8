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

    /// <summary>When the rule is in force, e.g. <c>"Mon-Fri 07:00-09:30"</c>; always when empty.</summary>
    public IReadOnlyList<string> Schedule { get; init; } = [];

    /// <summary>Where the signal state comes from (red_light): a region of the image or an MQTT feed.</summary>
    public SignalOptions? Signal { get; init; }
}
