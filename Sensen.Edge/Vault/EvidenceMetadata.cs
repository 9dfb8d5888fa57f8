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

    /// <summary>Every event merged into the clip, in the order they were raised (the first is <see cref="RuleId"/>'s).</summary>
    public IReadOnlyList<ManifestEvent> Events { get; init; } = [];

    /// <summary>Per offending track, its summary over the clip.</summary>
    public IReadOnlyList<ManifestOffender> Offenders { get; init; } = [];

    /// <summary>The best read of an offender's plate, when the clip path read one.</summary>
    public ManifestPlate? Plate { get; init; }

    public ManifestAnonymisation Anonymisation { get; init; } = ManifestAnonymisation.None;

    public ManifestVideo Video { get; init; } = ManifestVideo.None;

    /// <summary>The daemon's version (assembly informational version).</summary>
    public string SoftwareVersion { get; init; } = SoftwareVersions.Current;
}
