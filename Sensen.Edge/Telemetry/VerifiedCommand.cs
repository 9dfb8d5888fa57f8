namespace Sensen.Edge.Telemetry;

/// <summary>A command whose signature, operator, device, freshness and nonce all checked out (its role is checked next).</summary>
internal sealed record VerifiedCommand(string OperatorId, OperatorRole Role, CommandBody Body, DateTimeOffset IssuedAt);
