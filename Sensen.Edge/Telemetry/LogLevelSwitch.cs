using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// The daemon's log level, changeable while it runs (reload, the set-log-level command). The logging filters
/// read it on every check, so a change applies to every logger at once without rebuilding the factory.
/// </summary>
internal sealed class LogLevelSwitch
{
    private int _level;

    public LogLevelSwitch(LogLevel level)
    {
        _level = (int)level;
    }

    public LogLevel Level
    {
        get => (LogLevel)Volatile.Read(ref _level);
        set => Volatile.Write(ref _level, (int)value);
    }

    /// <summary>Whether a message at <paramref name="level"/> from our own categories is written.</summary>
    public bool Allows(LogLevel level) => level >= Level;

    /// <summary>The framework's categories (<c>Microsoft.*</c>) stay at Warning or above even when ours go to Debug.</summary>
    public bool AllowsFramework(LogLevel level) => level >= (Level > LogLevel.Warning ? Level : LogLevel.Warning);

    public static LogLevel From(LogLevelOption option) => option switch
    {
        LogLevelOption.Trace => LogLevel.Trace,
        LogLevelOption.Debug => LogLevel.Debug,
        LogLevelOption.Warning => LogLevel.Warning,
        LogLevelOption.Error => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
