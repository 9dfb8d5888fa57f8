using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Telemetry;

/// <summary>Periodic health reports, logging, and the remote commands (docs/TELEMETRY.md).</summary>
internal sealed record TelemetryOptions
{
    /// <summary>Seconds between telemetry messages on <c>PREFIX/DEVICE/telemetry</c>.</summary>
    [Range(5, 3600)]
    public int IntervalSeconds { get; init; } = 30;

    public LogFormat LogFormat { get; init; } = LogFormat.Auto;

    public LogLevelOption LogLevel { get; init; } = LogLevelOption.Information;

    /// <summary>Keys allowed to sign remote commands, each with a role; none: every command is refused.</summary>
    public IReadOnlyList<OperatorOptions> Operators { get; init; } = [];

    /// <summary>A command's <c>issued_at</c> may be at most this old (and at most 60 s ahead); older ones are refused as expired.</summary>
    [Range(10, 3600)]
    public int CommandMaxAgeSeconds { get; init; } = 300;
}
