namespace Sensen.Edge.Telemetry;

internal enum LogLevelOption
{
    Trace,
    Debug,
    Information,
    Warning,
    Error,
}
