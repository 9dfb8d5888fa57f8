using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Hosting;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.Ingest;
using Sensen.Edge.Tests.Pipeline;

namespace Sensen.Edge.Tests.Hosting;

/// <summary>The watchdog's view of real ingest and detection stages: frames flowing is alive, a detector hung on one frame is not.</summary>
internal sealed class LivenessWiringTests
{
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(2);

    [Test]
    [CancelAfter(60_000)]
    public async Task Check_DetectorHangsOnOneFrame_DetectionStuckIngestAlive(CancellationToken cancellationToken)
    {
        using var hang = new ManualResetEventSlim(initialState: true);
        var detector = new HangingDetector(hang);
        await using var rig = new PipelineRig(new EndlessFrameSource.Factory(), () => [detector]);
        var terminal = new PipelineTerminal(rig.Edges, rig.PipelineMetrics, rig.Status);
        await terminal.StartAsync(cancellationToken);
        await rig.StartAsync(cancellationToken);
        var liveness = new Liveness();
        await using var services = new ServiceCollection()
            .AddSingleton<IHostedService>(rig.Ingest)
            .AddSingleton<IHostedService>(rig.Detection)
            .BuildServiceProvider();
        await new LivenessWiring(liveness, services, rig.Edges, rig.IngestMetrics, IngestHarness.FastTuning, [rig.Camera]).StartAsync(cancellationToken);
        Assert.That(liveness.Stages, Is.EqualTo(new[] { "ingest gate", "detect gate" }));

        try
        {
            // Healthy for a while: checked as the watchdog does, nothing is stuck.
            var healthy = System.Diagnostics.Stopwatch.StartNew();
            while (healthy.Elapsed < TimeSpan.FromSeconds(3))
            {
                Assert.That(liveness.Check(DateTimeOffset.UtcNow, StuckAfter), Is.Empty, rig.Status.Describe());
                await Task.Delay(100, cancellationToken);
            }

            Assert.That(detector.Calls, Is.GreaterThan(3), "frames went through detection");

            // The detector hangs inside one frame; ingest keeps streaming (and dropping at its edge).
            hang.Reset();
            IReadOnlyList<(string Stage, TimeSpan Since)> stuck = [];
            var wedged = System.Diagnostics.Stopwatch.StartNew();
            while (stuck.Count == 0 && wedged.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100, cancellationToken);
                stuck = liveness.Check(DateTimeOffset.UtcNow, StuckAfter);
            }

            Assert.That(stuck.Select(s => s.Stage), Is.EqualTo(new[] { "detect gate" }), rig.Status.Describe());
            Assert.That(wedged.Elapsed, Is.GreaterThan(StuckAfter));
        }
        finally
        {
            hang.Set();
            await rig.StopAsync(cancellationToken);
            await terminal.StopAsync(cancellationToken);
        }
    }

    private sealed class HangingDetector(ManualResetEventSlim hang) : IDetector
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Id => "hanging";

        public IReadOnlySet<ObjectClass> Classes { get; } = new HashSet<ObjectClass> { ObjectClass.Face };

        public int Detect(Frame frame, List<DetectedObject> results)
        {
            Interlocked.Increment(ref _calls);
            hang.Wait();
            return 0;
        }
    }
}
