using Microsoft.Extensions.Hosting;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Pipeline;

/// <summary>
/// The end of the live path in this build: reads every camera's detection → tracking edge, releases each
/// analysed frame and counts it (<c>sensen.edge.pipeline.frames_ended</c>). Nothing is tracked or recorded
/// here. This is the place the tracking stage plugs in: it takes over <see cref="CameraPipeline.ToTracking"/>
/// and this class goes. It stops on its token as well as on the edge's end, and releases every frame either way.
/// </summary>
internal sealed class PipelineTerminal : BackgroundService
{
    private readonly PipelineEdges _edges;
    private readonly PipelineMetrics _metrics;
    private readonly Dictionary<string, long[]> _ended = new(StringComparer.Ordinal);

    public PipelineTerminal(PipelineEdges edges, PipelineMetrics metrics, PipelineStatus status)
    {
        _edges = edges;
        _metrics = metrics;
        foreach (var id in edges.CameraIds)
        {
            var counts = new long[2];
            _ended[id] = counts;
            status.Register($"end {id}", () => $"{Interlocked.Read(ref counts[0]) + Interlocked.Read(ref counts[1])} frames reached the end of the pipeline and were released unrecorded ({Interlocked.Read(ref counts[0])} analysed)");
        }
    }

    /// <summary>Frames released here for a camera, analysed or not.</summary>
    public long Ended(string cameraId) => Interlocked.Read(ref _ended[cameraId][0]) + Interlocked.Read(ref _ended[cameraId][1]);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_edges.Cameras.Select(camera => Task.Run(() => DrainAsync(camera, stoppingToken), CancellationToken.None)));

    private async Task DrainAsync(CameraPipeline camera, CancellationToken stoppingToken)
    {
        var edge = camera.ToTracking;
        var counts = _ended[camera.CameraId];
        var analysed = new KeyValuePair<string, object?>[] { new("camera", camera.CameraId), new("analysed", true) };
        var notAnalysed = new KeyValuePair<string, object?>[] { new("camera", camera.CameraId), new("analysed", false) };
        using var stop = edge.CompleteOn(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested && await edge.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (!stoppingToken.IsCancellationRequested && edge.Reader.TryRead(out var frame))
                {
                    var wasAnalysed = frame.IsAnalysed;
                    frame.Release();
                    Interlocked.Increment(ref counts[wasAnalysed ? 0 : 1]);
                    _metrics.Ended.Add(1, wasAnalysed ? analysed : notAnalysed);
                }
            }
        }
        finally
        {
            // Stopping before detection finished: what is still on the edge is released here.
            edge.Close();
        }
    }
}
