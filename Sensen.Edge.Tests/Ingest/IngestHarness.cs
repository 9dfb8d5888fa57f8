using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Configuration;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Recording;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>
/// The real ingest stage (real ffmpeg, real supervisors, real channels) for a few cameras, with
/// short back-off and stall times so failures play out in seconds. Tests read the channels.
/// </summary>
internal sealed class IngestHarness : IAsyncDisposable
{
    public static readonly IngestTuning FastTuning = new()
    {
        BackoffBase = TimeSpan.FromMilliseconds(200),
        BackoffMax = TimeSpan.FromSeconds(1),
        StopGrace = TimeSpan.FromSeconds(1),
        MinStallTimeout = TimeSpan.FromSeconds(2),
        FirstFrameGrace = TimeSpan.FromSeconds(5),
    };

    private readonly ServiceProvider _services;
    private readonly IngestStage _stage;

    public IngestHarness(IReadOnlyList<CameraOptions> cameras, string? credentialsDirectory = null, IngestTuning? tuning = null)
    {
        tuning ??= FastTuning;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Cameras = cameras;
        Metrics = new IngestMetrics(_services.GetRequiredService<IMeterFactory>());
        Edges = new PipelineEdges([.. cameras.Select(c => c.Frames())], new RecordingOptions().PreRollSeconds, new PipelineTuning(), new PipelineMetrics(_services.GetRequiredService<IMeterFactory>()));
        _stage = new IngestStage(
            cameras,
            Edges,
            Metrics,
            new FfmpegFrameSourceFactory(tuning),
            new HardwareProbe(tuning),
            new CredentialStore(credentialsDirectory ?? Path.GetTempPath()),
            tuning,
            TimeProvider.System,
            Status,
            Logs.CreateLogger<IngestStage>());
    }

    public IReadOnlyList<CameraOptions> Cameras { get; }

    public IngestMetrics Metrics { get; }

    public PipelineEdges Edges { get; }

    public PipelineStatus Status { get; } = new();

    public IngestStage Stage => _stage;

    public LogCapture Logs { get; } = new();

    public static CameraOptions Camera(string id, string url, double fps = 5, int width = 160, int height = 120) => new()
    {
        Id = id,
        Url = url,
        Hwaccel = HardwareAcceleration.None,
        Analysis = new AnalysisOptions { Fps = fps, Width = width, Height = height },
    };

    public CameraIngestState State(string cameraId) => Metrics.For(cameraId);

    public Task StartAsync(CancellationToken cancellationToken) => _stage.StartAsync(cancellationToken);

    /// <summary>Reads <paramref name="count"/> frames of a camera, copying what the test checks, releasing each.</summary>
    public async Task<IReadOnlyList<FrameRecord>> ReadAsync(string cameraId, int count, CancellationToken cancellationToken)
    {
        var records = new List<FrameRecord>(count);
        var reader = Edges.For(cameraId).ToDetection.Reader;
        while (records.Count < count)
        {
            var frame = await reader.ReadAsync(cancellationToken);
            try
            {
                records.Add(new FrameRecord(frame.Sequence, frame.Pts, frame.CaptureTime, frame.Width, frame.Height, frame.Format, Checksum(frame.Pixels)));
            }
            finally
            {
                frame.Release();
            }
        }

        return records;
    }

    /// <summary>Releases whatever a camera's channel holds now.</summary>
    public void Discard(string cameraId)
    {
        while (Edges.For(cameraId).ToDetection.Reader.TryRead(out var frame))
        {
            frame.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stage.StopAsync(CancellationToken.None);
        _stage.Dispose();
        foreach (var id in Edges.CameraIds)
        {
            Discard(id);
        }

        await _services.DisposeAsync();
    }

    private static long Checksum(ReadOnlySpan<byte> pixels)
    {
        long sum = 0;
        foreach (var b in pixels)
        {
            sum += b;
        }

        return sum;
    }
}
