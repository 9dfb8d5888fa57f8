using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Feeds systemd's watchdog (<c>WatchdogSec=</c>; <c>Microsoft.Extensions.Hosting.Systemd</c> does not):
/// sends <c>WATCHDOG=1</c> every half interval while <see cref="Liveness"/> finds no stage stuck. A stage that
/// has work and makes no progress for a whole interval stops the pings, and STATUS= names it, so systemd kills
/// and restarts the unit with the reason in <c>systemctl status</c>. Pinging resumes if the stage recovers first.
/// </summary>
internal sealed partial class WatchdogService : BackgroundService
{
    private readonly WatchdogSettings? _settings;
    private readonly Liveness _liveness;
    private readonly SystemdNotifier _notifier;
    private readonly PipelineStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger<WatchdogService> _logger;
    private string? _stuck;

    public WatchdogService(WatchdogSettings? settings, Liveness liveness, SystemdNotifier notifier, PipelineStatus status, TimeProvider time, ILogger<WatchdogService> logger)
    {
        _settings = settings;
        _liveness = liveness;
        _notifier = notifier;
        _status = status;
        _time = time;
        _logger = logger;
        status.Register("watchdog", Describe);
    }

    /// <summary>The stuck stages at the last check, or null while all are alive.</summary>
    public string? Stuck => Volatile.Read(ref _stuck);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_settings is not { } settings || !_notifier.IsEnabled)
        {
            return;
        }

        LogEnabled(settings.Interval.TotalSeconds, string.Join(", ", _liveness.Stages));
        using var timer = new PeriodicTimer(settings.PingEvery, _time);
        try
        {
            do
            {
                Tick(settings);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: STOPPING=1 tells systemd the pings end on purpose.
        }
    }

    /// <summary>One check: ping when every stage is alive, otherwise say which is stuck and stay silent.</summary>
    internal void Tick(WatchdogSettings settings)
    {
        var stuck = _liveness.Check(_time.GetUtcNow(), settings.Interval);
        if (stuck.Count == 0)
        {
            if (Interlocked.Exchange(ref _stuck, null) is { } was)
            {
                LogRecovered(was);
                _notifier.Notify($"WATCHDOG=1\nSTATUS={_status.Describe()}");
                return;
            }

            _notifier.Notify("WATCHDOG=1");
            return;
        }

        var names = string.Join(", ", stuck.Select(s => $"{s.Stage} ({s.Since.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)"));
        if (Interlocked.Exchange(ref _stuck, names) is null)
        {
            LogStuck(names);
        }

        _notifier.Notify($"STATUS=stuck, watchdog not fed: {names} made no progress");
    }

    private string Describe() => _settings is null || !_notifier.IsEnabled
        ? "off (no WATCHDOG_USEC from systemd)"
        : Stuck is { } stuck ? $"not fed: {stuck} stuck" : $"fed every {_settings.PingEvery.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Watchdog: systemd expects a ping within {Seconds} s; fed while these make progress: {Stages}")]
    private partial void LogEnabled(double seconds, string stages);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Critical, Message = "Watchdog: {Stages} made no progress; no longer pinging, so systemd restarts the unit")]
    private partial void LogStuck(string stages);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Watchdog: {Stages} moved again; pinging resumed")]
    private partial void LogRecovered(string stages);
}
