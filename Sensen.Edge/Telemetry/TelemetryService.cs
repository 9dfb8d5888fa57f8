using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Telemetry;

/// <summary>Publishes a telemetry message on <c>PREFIX/DEVICE/telemetry</c> every <c>telemetry.interval_seconds</c> while connected.</summary>
internal sealed partial class TelemetryService : BackgroundService
{
    private readonly TelemetryReporter _reporter;
    private readonly DeviceMqtt _device;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TelemetryService(TelemetryReporter reporter, DeviceMqtt device, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _reporter = reporter;
        _device = device;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    /// <summary>The latest message built (tests and the documentation check read it).</summary>
    public JsonObject? Last { get; private set; }

    public long Published { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        // The first message follows the first connect, so the control room sees the unit at once.
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!first && !await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                if (first && !_device.IsConnected)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                first = false;
                await PublishOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    internal async Task PublishOnceAsync(CancellationToken cancellationToken)
    {
        JsonObject message;
        try
        {
            message = _reporter.Build();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or Vault.VaultException)
        {
            LogBuildFailed(e.Message);
            return;
        }

        Last = message;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        if (await _device.PublishAsync(_device.Topic(DeviceMqtt.TelemetryTopic), bytes, retain: false, cancellationToken).ConfigureAwait(false))
        {
            Published++;
        }
    }

    [LoggerMessage(EventId = 8020, Level = LogLevel.Warning, Message = "Telemetry could not be gathered this interval: {Error}")]
    private partial void LogBuildFailed(string error);
}
