using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// What a running unit lets an authorised remote command change without a restart: its configuration (a reload,
/// the same one SIGHUP starts) and its log level. The telemetry stage's command handler calls it after the
/// signature, role and replay checks; the host (the "ops" half of issue #14) implements it. When no implementation
/// is registered, the commands that need it answer "not available in this build".
/// </summary>
internal interface IRuntimeControl
{
    /// <summary>
    /// Re-reads the configuration file, validates it and applies it without losing queued evidence or a clip in
    /// progress; an invalid file is refused with its positioned errors and the old configuration stays.
    /// <paramref name="origin"/> says who asked (<c>"sighup"</c>, <c>"command:&lt;operator id&gt;"</c>) for the log and audit.
    /// </summary>
    Task<ReloadResult> ReloadAsync(string origin, CancellationToken cancellationToken);

    /// <summary>SHA-256 of the configuration in force: the started file's until a reload applies a new one (telemetry's <c>host.config_sha256</c>).</summary>
    string ConfigSha256 { get; }

    /// <summary>Changes the minimum level of every logger from now on (not persisted: a restart returns to the file's).</summary>
    void SetLogLevel(LogLevel level);
}
