namespace Sensen.Edge.Vault;

/// <summary>The content key, wrapped to the city's public key (docs/PROTOCOL.md, "Key wrap").</summary>
internal sealed record ManifestEnvelope
{
    public required string Algorithm { get; init; }

    /// <summary>The one-time ECDH key, SubjectPublicKeyInfo DER, base64.</summary>
    public required string EphemeralPublicKey { get; init; }

    /// <summary>Hex SHA-256 of the city public key's SubjectPublicKeyInfo DER.</summary>
    public required string RecipientKeyId { get; init; }

    public required string WrapNonce { get; init; }

    /// <summary>AES-256-GCM ciphertext of the 32-byte content key followed by its 16-byte tag, base64.</summary>
    public required string WrappedKey { get; init; }
}
