namespace Sensen.Edge.Telemetry;

/// <summary>The JWS payload of a command (docs/TELEMETRY.md "Commands"); canonical JSON, no unknown members.</summary>
internal sealed record CommandBody
{
    public required string Format { get; init; }

    public required string DeviceId { get; init; }

    public required string Command { get; init; }

    public required string IssuedAt { get; init; }

    public required string Nonce { get; init; }

    /// <summary>legal_hold, release, resend.</summary>
    public string? EvidenceId { get; init; }

    /// <summary>legal_hold: why (stored encrypted in the vault; the audit log gets a keyed hash).</summary>
    public string? Reason { get; init; }

    /// <summary>set_log_level: trace, debug, information, warning or error.</summary>
    public string? Level { get; init; }
}
