using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Tells systemd READY=1 once every hosted service (the camera pipelines among them) has started, and
/// STOPPING=1 when shutdown begins. A camera that is still connecting does not hold readiness back:
/// its supervisor has started, which is what systemd needs to know.
/// </summary>
internal sealed partial class ReadinessService : IHostedLifecycleService
{
    private readonly SystemdNotifier _notifier;
    private readonly ILogger<ReadinessService> _logger;
    private readonly PipelineStatus _status;

    public ReadinessService(SystemdNotifier notifier, PipelineStatus status, ILogger<ReadinessService> logger)
    {
        _notifier = notifier;
        _status = status;
        _logger = logger;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var status = _status.Describe();
        _notifier.Notify($"READY=1\nSTATUS={status}");
        LogReady(status, _notifier.IsEnabled);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _notifier.Notify("STOPPING=1\nSTATUS=stopping");
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: {Status} (systemd notified: {Notified})")]
    private partial void LogReady(string status, bool notified);
}
