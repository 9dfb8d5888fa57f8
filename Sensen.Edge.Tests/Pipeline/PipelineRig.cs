using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.Ingest;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Pipeline;

/// <summary>
/// The real edges, ingest stage and detection stage of one camera, wired as the host wires them, with the
/// frame source and the detectors at their seams. The test plays the consumer of the detection → tracking edge.
/// </summary>
internal sealed class PipelineRig : IAsyncDisposable
{
    public const string CameraId = "gate";

    private readonly ServiceProvider _services;
    private bool _stopped;

    public PipelineRig(IFrameSourceFactory sources, Func<IDetector[]> detectors, int maxConsecutiveFaults = 50, IngestTuning? ingestTuning = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _services.GetRequiredService<IMeterFactory>();
        Camera = new CameraOptions
        {
            Id = CameraId,
            Url = "file:///scripted/gate.mp4",
            Hwaccel = HardwareAcceleration.None,
            Analysis = new AnalysisOptions { Fps = 25, Width = 32, Height = 24 },
        };
        var tuning = ingestTuning ?? IngestHarness.FastTuning;
        PipelineMetrics = new PipelineMetrics(meters);
        Edges = new PipelineEdges([Camera.Frames()], 0, new PipelineTuning(), PipelineMetrics);
        IngestMetrics = new IngestMetrics(meters);
        Ingest = new IngestStage([Camera], Edges, IngestMetrics, sources, new HardwareProbe(tuning), new CredentialStore(Path.GetTempPath()), tuning, TimeProvider.System, Status, Logs.CreateLogger<IngestStage>());
        Detection = new DetectionStage(Edges, _ => detectors(), new InferenceOptions { MaxConsecutiveDetectorFaults = maxConsecutiveFaults }, new DetectionMetrics(meters), TimeProvider.System, Status, Logs.CreateLogger<DetectionStage>());
    }

    public CameraOptions Camera { get; }

    public PipelineEdges Edges { get; }

    public PipelineMetrics PipelineMetrics { get; }

    public CameraPipeline Gate => Edges.For(CameraId);

    public IngestMetrics IngestMetrics { get; }

    public IngestStage Ingest { get; }

    public DetectionStage Detection { get; }

    public PipelineStatus Status { get; } = new();

    public LogCapture Logs { get; } = new();

    /// <summary>Consumers before producers, as the host starts them.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Detection.StartAsync(cancellationToken);
        await Ingest.StartAsync(cancellationToken);
    }

    /// <summary>Producers before consumers, as the host stops them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        await Ingest.StopAsync(cancellationToken);
        await Detection.StopAsync(cancellationToken);
    }

    /// <summary>Every frame that left the pipeline before its end, on every edge, for every reason.</summary>
    public long AllDrops() =>
        Gate.Edges.Sum(e => Enum.GetValues<DropReason>().Sum(r => e.Drops.Count(r)));

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync(CancellationToken.None);
        }

        Gate.ToTracking.Close();
        Ingest.Dispose();
        Detection.Dispose();
        await _services.DisposeAsync();
    }

    /// <summary>A detector at the seam: one face per frame, or what <see cref="Fail"/> makes it throw.</summary>
    public sealed class FaceDetector : IDetector
    {
        public Func<Exception>? Fail { get; set; }

        public string Id => "faces";

        public IReadOnlySet<ObjectClass> Classes { get; } = new HashSet<ObjectClass> { ObjectClass.Face };

        public int Detect(Frame frame, List<DetectedObject> results)
        {
            if (Fail is not null)
            {
                throw Fail();
            }

            results.Add(new DetectedObject(new BoxF(1, 1, 8, 8), ObjectClass.Face, 0.9f, frame.Pixels[0]));
            return 1;
        }
    }
}
