using Microsoft.Extensions.Hosting;

namespace Sensen.Edge.Ingest;

/// <summary>
/// TEMPORARY consumer of the cameras' frame channels until detection is wired to them: reads every
/// frame, counts it and releases its buffer, so ingest runs end to end (<c>run</c>, the demo, the
/// bench) without frames piling up. Delete this and its registration in
/// <see cref="IngestRegistration"/> when the detection stage reads <see cref="FrameChannels"/>.
/// </summary>
internal sealed class FrameDrain : BackgroundService
{
    private readonly FrameChannels _channels;
    private long _drained;

    public FrameDrain(FrameChannels channels)
    {
        _channels = channels;
    }

    /// <summary>Frames consumed so far, all cameras.</summary>
    public long Drained => Interlocked.Read(ref _drained);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_channels.CameraIds.Select(id => DrainAsync(id, stoppingToken)));

    private async Task DrainAsync(string cameraId, CancellationToken stoppingToken)
    {
        var reader = _channels.Reader(cameraId);
        try
        {
            // Runs until ingest completes the channel, so frames written during shutdown are released too.
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (reader.TryRead(out var frame))
                {
                    Interlocked.Increment(ref _drained);
                    frame.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
