using System.Security.Cryptography;

namespace Sensen.Edge.Telemetry;

/// <summary>An operator's id, role and P-256 public key, loaded from <c>telemetry.operators[]</c>.</summary>
internal sealed record OperatorKey(string Id, OperatorRole Role, ECDsa PublicKey);
