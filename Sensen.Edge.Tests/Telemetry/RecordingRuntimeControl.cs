using Microsoft.Extensions.Logging;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>A test double at the IRuntimeControl seam (the host implements it): records what the command handler asked.</summary>
internal sealed class RecordingRuntimeControl : IRuntimeControl
{
    public List<string> Reloads { get; } = [];

    public List<LogLevel> Levels { get; } = [];

    public ReloadResult Next { get; set; } = ReloadResult.Success("abc123");

    public string ConfigSha256 => Next.ConfigHash;

    public Task<ReloadResult> ReloadAsync(string origin, CancellationToken cancellationToken)
    {
        Reloads.Add(origin);
        return Task.FromResult(Next);
    }

    public void SetLogLevel(LogLevel level) => Levels.Add(level);
}
