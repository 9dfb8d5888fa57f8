namespace Sensen.Edge.Telemetry;

/// <summary>The answer on <c>PREFIX/DEVICE/commands/result</c> (docs/TELEMETRY.md): fixed words and ids, never the untrusted input.</summary>
internal sealed record CommandResult
{
    public required string Format { get; init; }

    public required string DeviceId { get; init; }

    /// <summary><c>accepted</c> or <c>refused</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Refused: the reason word; accepted: null.</summary>
    public string? Reason { get; init; }

    /// <summary>A fixed sentence explaining the outcome.</summary>
    public string? Detail { get; init; }

    /// <summary>Only once the signature verified.</summary>
    public string? Command { get; init; }

    public string? OperatorId { get; init; }

    public string? EvidenceId { get; init; }

    /// <summary><c>reload_configuration</c> accepted: what took effect now (empty: nothing changed).</summary>
    public IReadOnlyList<string>? Applied { get; init; }

    /// <summary><c>reload_configuration</c> accepted: the sections that changed but wait for a restart.</summary>
    public IReadOnlyList<string>? NeedsRestart { get; init; }

    /// <summary>The claimed nonce when it was well-formed, so a sender can match its command.</summary>
    public string? Nonce { get; init; }

    public required string At { get; init; }
}
