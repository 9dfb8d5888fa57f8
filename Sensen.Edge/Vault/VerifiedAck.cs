namespace Sensen.Edge.Vault;

/// <summary>
/// A city acknowledgement whose ES256 signature, key, device, format and freshness <see cref="AckVerifier"/>
/// has checked. Only the verifier constructs one, so holding a <see cref="VerifiedAck"/> is proof that the
/// city signed it; <see cref="EvidenceVault.Acknowledge"/> takes nothing else.
/// </summary>
internal sealed class VerifiedAck
{
    internal VerifiedAck(AckType type, string deviceId, string evidenceId, string sealedSha256, DateTimeOffset issuedAt, IReadOnlyList<int> missingChunks, string keyId)
    {
        Type = type;
        DeviceId = deviceId;
        EvidenceId = evidenceId;
        SealedSha256 = sealedSha256;
        IssuedAt = issuedAt;
        MissingChunks = missingChunks;
        KeyId = keyId;
    }

    public AckType Type { get; }

    public string DeviceId { get; }

    /// <summary>Lower-case UUID.</summary>
    public string EvidenceId { get; }

    /// <summary>Lower-case hex SHA-256 of the sealed blob the city holds.</summary>
    public string SealedSha256 { get; }

    public DateTimeOffset IssuedAt { get; }

    /// <summary>The uplink's transport chunk indices, sorted and distinct; empty for <see cref="AckType.Received"/>.</summary>
    public IReadOnlyList<int> MissingChunks { get; }

    /// <summary>Key id of the city ack key that signed it.</summary>
    public string KeyId { get; }
}
