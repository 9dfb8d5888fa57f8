using Microsoft.Extensions.Hosting;

namespace Sensen.Edge.Detection;

/// <summary>
/// Resolves the <see cref="DetectorSet"/> while the host starts, so sessions are created and warmed up before
/// the pipeline runs, and a model problem stops start-up instead of the first frame.
/// </summary>
internal sealed class DetectionStartup(Lazy<DetectorSet> detectors) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _ = detectors.Value;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
