using Microsoft.Extensions.Hosting;

namespace Sensen.Edge.Hosting;

/// <summary>Stops the host after a fixed time (<c>run --stop-after</c>), for demos and bench runs.</summary>
internal sealed class StopAfterService : BackgroundService
{
    private readonly TimeSpan _delay;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;

    public StopAfterService(TimeSpan delay, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        _delay = delay;
        _lifetime = lifetime;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(_delay, _time, stoppingToken);
            _lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped for another reason first.
        }
    }
}
