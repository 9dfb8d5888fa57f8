namespace Sensen.Edge.Telemetry;

/// <summary>Signed with the key in <paramref name="KeyFile"/> as <paramref name="OperatorId"/>.</summary>
internal sealed record CommandSignRequest(string KeyFile, string OperatorId, string DeviceId, string Command, string? EvidenceId, string? Reason, string? Level);

