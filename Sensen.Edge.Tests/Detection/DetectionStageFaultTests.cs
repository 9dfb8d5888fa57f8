using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sensen.Edge.Detection;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Tests.Pipeline;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>The detection stage's failure handling, with the frame source and detectors at their seams.</summary>
public sealed class DetectionStageFaultTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    [CancelAfter(60_000)]
    public async Task Stage_DetectorBug_NotAnalysedLoggedOnceCountedAndStageFailsAfterLimit(CancellationToken cancellationToken)
    {
        var buggy = new PipelineRig.FaceDetector { Fail = () => new InvalidOperationException("bug in a decoder") };
        await using var rig = new PipelineRig(new EndlessFrameSource.Factory(), () => [buggy], maxConsecutiveFaults: 3);
        await rig.StartAsync(cancellationToken);

        var failure = await TryAwait(rig.Detection.ExecuteTask!.WaitAsync(cancellationToken));
        var outcomes = new List<AnalysisOutcome>();
        for (var i = 0; i < 4; i++)
        {
            var analysed = await rig.Gate.ToTracking.Reader.ReadAsync(cancellationToken);
            outcomes.Add(analysed.Outcome);
            Assert.That(analysed.Detections.Length, Is.Zero);
            analysed.Release();
        }

        await rig.StopAsync(cancellationToken);
        rig.Gate.ToTracking.Close();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<DetectorFaultException>().And.Message.Contains("faulted on 3 frames in a row"), "the stage fails, so the host stops and exits non-zero");
            Assert.That(outcomes, Is.EqualTo(new[] { AnalysisOutcome.DetectorFault, AnalysisOutcome.DetectorFault, AnalysisOutcome.DetectorFault, AnalysisOutcome.DetectionStopped }));
            Assert.That(rig.Detection.Cameras.Single().Faults, Is.EqualTo(3));
            Assert.That(rig.Logs.Lines.Count(l => l.Contains("a detector faulted (InvalidOperationException)", StringComparison.Ordinal)), Is.EqualTo(1), rig.Logs.Text);
            Assert.That(rig.Logs.Text, Does.Contain("System.InvalidOperationException: bug in a decoder"), "logged with its exception");
            Assert.That(rig.Logs.Text, Does.Contain("detectors faulted on 3 frames in a row; stopping the daemon"));
            Assert.That(rig.Status.Describe(), Does.Contain("3 detector faults"));
            Assert.That(rig.Gate.Frames.InUse, Is.Zero);
            Assert.That(rig.Gate.Detections.InUse, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Stage_StoppedOnItsTokenWhileIngestRuns_EndsAndEveryFrameIsReleased(CancellationToken cancellationToken)
    {
        await using var rig = new PipelineRig(new EndlessFrameSource.Factory(), () => [new PipelineRig.FaceDetector()]);
        await rig.StartAsync(cancellationToken);

        // Nobody reads after detection: its edge fills and detection waits on it.
        await Eventually.AssertAsync(() => rig.Gate.ToTracking.Reader.Count == rig.Gate.ToTracking.Capacity, Patience, () => rig.Status.Describe(), cancellationToken);
        await rig.Detection.StopAsync(cancellationToken);

        Assert.That(rig.Detection.ExecuteTask!.IsCompletedSuccessfully, Is.True, "detection ended on its token, while ingest still runs");
        var state = rig.IngestMetrics.For(PipelineRig.CameraId);
        var framesAtStop = state.Frames;
        await Eventually.AssertAsync(() => state.Frames > framesAtStop + 5, Patience, () => rig.Status.Describe(), cancellationToken);
        Assert.That(rig.Gate.Frames.InUse, Is.LessThanOrEqualTo(rig.Gate.ToTracking.Capacity + 1), "ingest's frames after the stop are released, not queued");

        await rig.Ingest.StopAsync(cancellationToken);
        rig.Gate.ToTracking.Close();
        Assert.That(rig.Gate.Frames.InUse, Is.Zero);
        Assert.That(rig.Gate.Detections.InUse, Is.Zero);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Host_DetectorKeepsFaulting_StopsByItself(CancellationToken cancellationToken)
    {
        var buggy = new PipelineRig.FaceDetector { Fail = () => new InvalidOperationException("bug in a decoder") };
        await using var rig = new PipelineRig(new EndlessFrameSource.Factory(), () => [buggy], maxConsecutiveFaults: 3);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // As EdgeHost configures it: a failed stage stops the host, and run turns the faulted stage into exit code 1.
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        builder.Services.AddHostedService(_ => rig.Detection);
        builder.Services.AddHostedService(_ => rig.Ingest);
        using var host = builder.Build();

        await host.StartAsync(cancellationToken);
        await host.WaitForShutdownAsync(cancellationToken);
        rig.Gate.ToTracking.Close();

        Assert.That(rig.Detection.ExecuteTask!.IsFaulted, Is.True, "nothing but the fault stopped this host");
        Assert.That(rig.Gate.Frames.InUse, Is.Zero);
    }

    private static async Task<Exception?> TryAwait(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (DetectorFaultException e)
        {
            return e;
        }
    }
}
