namespace Sensen.Edge.Vault;

/// <summary>The output of sealing: the signed manifest and the sealed chunks, ready to store or send.</summary>
/// <param name="Manifest">The parsed manifest.</param>
/// <param name="ManifestJson">The exact canonical bytes that were signed.</param>
/// <param name="Signature">ECDSA P-256 / SHA-256 over <paramref name="ManifestJson"/>, IEEE P1363 (r‖s, 64 bytes).</param>
/// <param name="Chunks">The sealed blob, chunk by chunk (each ciphertext followed by its 16-byte tag).</param>
internal sealed record SealedEvidence(EvidenceManifest Manifest, ReadOnlyMemory<byte> ManifestJson, ReadOnlyMemory<byte> Signature, IReadOnlyList<byte[]> Chunks);
