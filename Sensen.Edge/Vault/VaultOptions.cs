using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Vault;

/// <summary>The sealed evidence queue. Key material comes from credentials, never from this file.</summary>
internal sealed record VaultOptions
{
    /// <summary>LiteDB file; relative paths are resolved against the state directory.</summary>
    public string Path { get; init; } = "vault.db";

    /// <summary>The city's public key (PEM). Public, so a path is fine here.</summary>
    public string CityPublicKey { get; init; } = "/etc/sensen-edge/city-public.pem";

    /// <summary>
    /// The city's ack-signing key (ECDSA P-256 public key, PEM): a separate key from <see cref="CityPublicKey"/>,
    /// which only wraps content keys. Public, so a path is fine here.
    /// </summary>
    public string CityAckPublicKey { get; init; } = "/etc/sensen-edge/city-ack-public.pem";

    /// <summary>An ack older than this is refused as stale (a replay); one from more than 5 minutes ahead as from the future.</summary>
    [Range(1, 90)]
    public int AckMaxAgeDays { get; init; } = 7;

    /// <summary>Credential holding the device's ECDSA signing key (PEM).</summary>
    public string DeviceKeyCredential { get; init; } = "device-key";

    /// <summary>Credential holding the LiteDB file password.</summary>
    public string DatabaseKeyCredential { get; init; } = "vault-db-key";

    /// <summary>Credential holding the root of the rotating storage keys (crypto-shredding).</summary>
    public string StorageKeyCredential { get; init; } = "vault-storage-key";

    [Range(1, 3650)]
    public int RetentionDays { get; init; } = 30;

    /// <summary>How long one storage-key epoch lasts before a new key is used.</summary>
    [Range(1, 365)]
    public int KeyEpochDays { get; init; } = 7;

    [Range(1, 1_000_000)]
    public long QuotaMegabytes { get; init; } = 4096;

    public QuotaPolicy QuotaPolicy { get; init; } = QuotaPolicy.RejectNew;

    /// <summary>Append-only audit log (no personal data); relative to the state directory.</summary>
    public string AuditLog { get; init; } = "audit.log";
}
