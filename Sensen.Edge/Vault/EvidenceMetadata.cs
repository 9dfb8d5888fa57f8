namespace Sensen.Edge.Vault;

/// <summary>What the recorder knows about a clip; the vault adds identity, hashes and the envelope.</summary>
internal sealed record EvidenceMetadata
{
    public required string CameraId { get; init; }

    public required string RuleId { get; init; }

    /// <summary>The rule kind in snake_case (<c>bus_lane</c>, <c>red_light</c>, ...).</summary>
    public required string RuleType { get; init; }

    public required DateTimeOffset EventStart { get; init; }

    public required DateTimeOffset EventEnd { get; init; }

    public required DateTimeOffset ClipStart { get; init; }

    public required DateTimeOffset ClipEnd { get; init; }

    public required ClockSyncState ClockSync { get; init; }

    /// <summary>Hex SHA-256 of the configuration file in force.</summary>
    public required string ConfigSha256 { get; init; }

    /// <summary>Model name → hex SHA-256 of the ONNX file, for every model that touched the clip.</summary>
    public IReadOnlyDictionary<string, string> ModelSha256 { get; init; } = new Dictionary<string, string>();

    public required StreamHealth StreamHealth { get; init; }

    public string ContentType { get; init; } = "video/mp4";
}
