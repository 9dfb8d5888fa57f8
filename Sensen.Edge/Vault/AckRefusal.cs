namespace Sensen.Edge.Vault;

/// <summary>Why <see cref="AckVerifier"/> refused a message. Every refusal deletes nothing.</summary>
internal enum AckRefusal
{
    /// <summary>Not a compact JWS of a canonical <c>sensen-ack/1</c> body (framing, header, members, types, values).</summary>
    Malformed,

    /// <summary>The ES256 signature does not verify under the city ack key, or is not in low-S form.</summary>
    BadSignature,

    /// <summary>The header names a key id other than the configured city ack key.</summary>
    UnknownKey,

    /// <summary>Signed for another device.</summary>
    WrongDevice,

    /// <summary><c>issued_at</c> is older than the configured maximum age (a replayed ack).</summary>
    Stale,

    /// <summary><c>issued_at</c> is more than the allowed skew in the future.</summary>
    FromTheFuture,
}
