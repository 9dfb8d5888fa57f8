namespace Sensen.Edge.Telemetry;

internal enum LogFormat
{
    /// <summary>Journal format when started by systemd (JOURNAL_STREAM set), terminal format otherwise.</summary>
    Auto,
    Console,
    Journal,
    Json,
}
