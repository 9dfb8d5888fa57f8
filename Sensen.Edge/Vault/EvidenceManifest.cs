namespace Sensen.Edge.Vault;

/// <summary>
/// The chain-of-custody record that travels with a sealed clip, signed by the device.
/// Field names on the wire are snake_case; the layout is specified in docs/PROTOCOL.md.
/// </summary>
internal sealed record EvidenceManifest
{
    /// <summary>
    /// 4: format 3 with <c>stream_health.frames_lost_to_clip_memory</c>. 3: format 2's sealing (the device key id
    /// bound into the key derivation and every AAD, docs/PROTOCOL.md "Format 2") with the recording's members
    /// added: events, offenders, plate, anonymisation, video, software version.
    /// </summary>
    public const string CurrentFormat = "sensen-evidence/4";

    /// <summary>The format before <see cref="CurrentFormat"/>, still read: a unit upgraded with items queued delivers them as sealed.</summary>
    public const string PreviousFormat = "sensen-evidence/3";

    /// <summary>Required on the wire: a reader must never assume the version of what it was given.</summary>
    public required string Format { get; init; }

    public required string EvidenceId { get; init; }

    public required string DeviceId { get; init; }

    /// <summary>Hex SHA-256 of the device signing key's SubjectPublicKeyInfo DER.</summary>
    public required string DeviceKeyId { get; init; }

    public required string CameraId { get; init; }

    public required string RuleId { get; init; }

    public required string RuleType { get; init; }

    public required string EventStart { get; init; }

    public required string EventEnd { get; init; }

    public required string ClipStart { get; init; }

    public required string ClipEnd { get; init; }

    public required string SealedAt { get; init; }

    public required ClockSyncState ClockSync { get; init; }

    public required string ConfigSha256 { get; init; }

    public required IReadOnlyDictionary<string, string> ModelSha256 { get; init; }

    public required StreamHealth StreamHealth { get; init; }

    public required string ContentType { get; init; }

    public required ManifestClip Clip { get; init; }

    public required ManifestEnvelope Envelope { get; init; }

    public required IReadOnlyList<ManifestEvent> Events { get; init; }

    public required IReadOnlyList<ManifestOffender> Offenders { get; init; }

    /// <summary>Absent when no offender plate was read.</summary>
    public ManifestPlate? Plate { get; init; }

    public required ManifestAnonymisation Anonymisation { get; init; }

    public required ManifestVideo Video { get; init; }

    public required string SoftwareVersion { get; init; }
}
