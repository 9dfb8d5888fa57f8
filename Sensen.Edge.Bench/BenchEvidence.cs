using Sensen.Edge.Vault;

namespace Sensen.Edge.Bench;

/// <summary>Made-up evidence metadata for the benchmarks that seal clips (vault, uplink): only sizes matter there.</summary>
internal static class BenchEvidence
{
    public static EvidenceMetadata Metadata() => new()
    {
        CameraId = "cam",
        RuleId = "rule",
        RuleType = "bus_lane",
        EventStart = DateTimeOffset.UtcNow,
        EventEnd = DateTimeOffset.UtcNow,
        ClipStart = DateTimeOffset.UtcNow,
        ClipEnd = DateTimeOffset.UtcNow,
        ClockSync = new ClockSyncState(true, "ntp"),
        ConfigSha256 = new string('0', 64),
        StreamHealth = new StreamHealth(0, 0, 0, 0, 0),
    };
}
