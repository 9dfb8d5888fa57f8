namespace Sensen.Edge.Rules;

/// <summary>The current phase and when it began (UTC).</summary>
internal readonly record struct SignalReading(SignalPhase Phase, DateTimeOffset Since);
