namespace Sensen.Edge.Telemetry;

internal enum NonceOutcome
{
    Added,
    Replayed,
    Full,
}
