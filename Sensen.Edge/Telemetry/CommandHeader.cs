namespace Sensen.Edge.Telemetry;

/// <summary>The JWS protected header of a command: exactly alg, kid (the operator id) and typ, canonical JSON.</summary>
internal sealed record CommandHeader
{
    public required string Alg { get; init; }

    public required string Kid { get; init; }

    public required string Typ { get; init; }
}
