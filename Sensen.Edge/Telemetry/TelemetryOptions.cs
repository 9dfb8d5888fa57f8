using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Telemetry;

/// <summary>Periodic health reports and logging.</summary>
internal sealed record TelemetryOptions
{
    [Range(5, 3600)]
    public int IntervalSeconds { get; init; } = 30;

    public LogFormat LogFormat { get; init; } = LogFormat.Auto;

    public LogLevelOption LogLevel { get; init; } = LogLevelOption.Information;
}
