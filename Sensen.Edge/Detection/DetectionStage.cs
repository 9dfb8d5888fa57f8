using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Ingest;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Detection;

/// <summary>
/// The detection stage: reads each camera's frames from the ingest edge (<see cref="FrameChannels"/>, where
/// frames are dropped when analysis falls behind) and runs that camera's detectors on every frame it takes.
/// One loop per camera; the detector sessions are shared. Until tracking lands, an analysed frame ends here
/// and its buffer goes back to the pool; nothing is recorded.
/// </summary>
internal sealed partial class DetectionStage : BackgroundService
{
    private readonly FrameChannels _channels;
    private readonly ILogger<DetectionStage> _logger;
    private readonly List<CameraAnalysis> _cameras;

    public DetectionStage(EdgeOptions options, FrameChannels channels, DetectorSet detectors, PipelineStatus status, ILogger<DetectionStage> logger)
    {
        _channels = channels;
        _logger = logger;
        _cameras = options.Cameras.Select(c => new CameraAnalysis(c.Id, detectors.ForCamera(c.Id, options.Detectors))).ToList();
        foreach (var camera in _cameras)
        {
            status.Register($"detect {camera.CameraId}", camera.Describe);
        }
    }

    public IReadOnlyList<CameraAnalysis> Cameras => _cameras;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_cameras.Select(camera => Task.Run(() => AnalyseAsync(camera), CancellationToken.None)));

    private async Task AnalyseAsync(CameraAnalysis camera)
    {
        var reader = _channels.Reader(camera.CameraId);
        var results = new List<DetectedObject>(256);

        // Runs until ingest completes the channel (it does when it stops, and it stops first: see
        // EdgeHost), so every frame ever written is taken and released exactly once.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var frame))
            {
                var wasFailing = camera.Failing;
                Exception? error;
                try
                {
                    error = camera.Analyse(frame, results);
                }
                finally
                {
                    frame.Release();
                }

                if (error is not null && !wasFailing)
                {
                    LogNotAnalysed(camera.CameraId, error.Message, error);
                }
                else if (error is null && wasFailing)
                {
                    LogAnalysing(camera.CameraId);
                }
            }
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "Camera {Camera}: frames cannot be analysed ({Reason}); they will not be recorded until analysis works again")]
    private partial void LogNotAnalysed(string camera, string reason, Exception exception);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Camera {Camera}: frames are analysed again")]
    private partial void LogAnalysing(string camera);
}
