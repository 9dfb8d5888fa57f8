namespace Sensen.Edge.Vault;

/// <summary>The JWS protected header of an ack (RFC 7515 §4): exactly these three members, canonical JSON.</summary>
internal sealed record AckHeader
{
    public required string Alg { get; init; }

    public required string Kid { get; init; }

    public required string Typ { get; init; }
}
