namespace Sensen.Edge.Vault;

/// <summary>
/// One violation event of a clip as the manifest states it (docs/PROTOCOL.md, "Manifest"). Numbers are integers
/// (the canonical JSON has no fractions), so measured values are in fixed units: milliseconds, metres per hour
/// (km/h × 1000), per-mille and parts per million. A value the rule did not measure is absent.
/// </summary>
internal sealed record ManifestEvent
{
    public required string RuleId { get; init; }

    /// <summary>snake_case rule kind (<c>bus_lane</c>, <c>red_light</c>, ...).</summary>
    public required string RuleType { get; init; }

    public required long TrackId { get; init; }

    /// <summary>The offender's class (<c>car</c>, <c>person</c>, ...).</summary>
    public required string Class { get; init; }

    public required string WindowStart { get; init; }

    public required string WindowEnd { get; init; }

    /// <summary>Track confidence × class-vote share, in thousandths (0..1000).</summary>
    public required int ConfidencePermille { get; init; }

    public long? DwellMilliseconds { get; init; }

    /// <summary>Measured speed in metres per hour (km/h × 1000).</summary>
    public long? SpeedMetresPerHour { get; init; }

    /// <summary>Expanded uncertainty (k = 2) of the speed, metres per hour.</summary>
    public long? SpeedUncertaintyMetresPerHour { get; init; }

    /// <summary>The signal phase at the crossing (<c>red</c>, <c>amber</c>, <c>green</c>, <c>unknown</c>).</summary>
    public string? Signal { get; init; }

    /// <summary>How long the signal had been red at the crossing, milliseconds.</summary>
    public long? RedMilliseconds { get; init; }

    /// <summary>Net travel against the permitted direction, in millionths of the image.</summary>
    public long? WrongWayTravelPpm { get; init; }
}
