namespace Sensen.Edge.Telemetry;

/// <summary>One key allowed to sign remote commands (<c>telemetry.operators[]</c>, docs/TELEMETRY.md "Commands").</summary>
internal sealed record OperatorOptions
{
    /// <summary>The operator's id: the JWS <c>kid</c> of their commands, and what the audit log records.</summary>
    public string Id { get; init; } = "";

    public OperatorRole Role { get; init; } = OperatorRole.Viewer;

    /// <summary>PEM file with the operator's P-256 public key (relative to the configuration file's directory).</summary>
    public string PublicKey { get; init; } = "";
}
