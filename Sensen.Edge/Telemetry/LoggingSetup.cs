using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// The daemon's log output: which format (journal, console, JSON) and level. It lives in Telemetry, beside the
/// journal provider it chooses, so the host only calls it and nothing needs to import Hosting to log alike.
/// </summary>
internal static class LoggingSetup
{
    /// <summary>Level, filters and the provider <c>telemetry.log_format</c> asks for (<c>auto</c>: journal under systemd).</summary>
    public static void Configure(ILoggingBuilder logging, TelemetryOptions telemetry) =>
        Configure(logging, telemetry, new LogLevelSwitch(LogLevelSwitch.From(telemetry.LogLevel)), null);

    /// <summary>
    /// As above, with the level read from <paramref name="level"/> at every check, so it can change at run time,
    /// and the host's start-up errors held back until <paramref name="startup"/> opens (the daemon prints its own line).
    /// </summary>
    public static void Configure(ILoggingBuilder logging, TelemetryOptions telemetry, LogLevelSwitch level, StartupGate? startup)
    {
        logging.ClearProviders();

        // The minimum lets everything through to the filters, which read the switch; the most specific
        // category rule wins (LoggerFilterOptions), so Microsoft.* gets its own.
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter((_, _, l) => level.Allows(l));
        logging.AddFilter("Microsoft", l => level.AllowsFramework(l));
        if (startup is not null)
        {
            logging.AddFilter(StartupGate.HostCategory, l => level.AllowsFramework(l) && (l < LogLevel.Error || startup.Started));
        }

        var format = telemetry.LogFormat;
        if (format == LogFormat.Auto)
        {
            // systemd sets JOURNAL_STREAM when stdout/stderr go to the journal (systemd.exec(5)).
            format = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 } ? LogFormat.Journal : LogFormat.Console;
        }

        switch (format)
        {
            case LogFormat.Journal when JournalLoggerProvider.IsAvailable():
                // Native protocol: MESSAGE, PRIORITY and one field per template placeholder (CAMERA=…).
                logging.AddProvider(new JournalLoggerProvider(JournalLoggerProvider.DefaultSocketPath, "sensen-edge"));
                return;
            case LogFormat.Journal:
                // No journal socket (a container, say): "<6>category: message" lines, which journald
                // and syslog collectors map to priorities.
                logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
                break;
            case LogFormat.Json:
                logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
                break;
            default:
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                    o.ColorBehavior = LoggerColorBehavior.Default;
                });
                break;
        }

        // Everything goes to stderr so stdout stays clean for verbs that print results.
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
