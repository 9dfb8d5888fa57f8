using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Configuration;
using Sensen.Edge.Frames;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>Back-off bookkeeping of the supervisor, on a fake clock with a scripted source at the seam.</summary>
public sealed partial class CameraSupervisorTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_HealthyRunThenFailures_ReconnectsAtOnceAndBackoffStartsOver(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T00:00:00Z", CultureInfo.InvariantCulture));
        var camera = new CameraOptions { Id = "gate", Url = "rtsp://127.0.0.1:9/cam", Hwaccel = HardwareAcceleration.None, Analysis = new AnalysisOptions { Fps = 10, Width = 64, Height = 64 } };
        var starts = 0;
        var factory = new DelegateFactory(request =>
        {
            // Run 1: 8 frames 4 s apart (never a stall at 5 s), 32 s in all: healthy. Then refusals.
            return Interlocked.Increment(ref starts) == 1
                ? new ScriptedFrameSource(time, 8, TimeSpan.FromSeconds(4), request.FrameBytes)
                : throw new FrameSourceException(DiagnosticKind.ConnectionRefused, "refused");
        });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new IngestMetrics(services.GetRequiredService<IMeterFactory>());
        var logs = new LogCapture();
        var edges = new PipelineEdges([camera.Frames()], 0, new PipelineTuning { DetectionQueueFrames = 16 }, new PipelineMetrics(services.GetRequiredService<IMeterFactory>()));
        var channel = edges.For("gate").ToDetection;
        var supervisor = new CameraSupervisor(
            camera, metrics.For("gate"), edges.For("gate").Frames, channel, factory, new HardwareProbe(new IngestTuning()),
            new CredentialStore(Path.GetTempPath()), new IngestTuning(), time, logs.CreateLogger("ingest"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var running = supervisor.RunAsync(stop.Token);
        await Eventually.AssertAsync(() => Delays(logs).Count == 1, TimeSpan.FromSeconds(5), () => logs.Text, cancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.AssertAsync(() => Delays(logs).Count == 2, TimeSpan.FromSeconds(5), () => logs.Text, cancellationToken);
        await stop.CancelAsync();
        await running;

        var delays = Delays(logs);
        Assert.Multiple(() =>
        {
            Assert.That(logs.Text, Does.Contain("stream ended after 32 s of healthy streaming"));
            Assert.That(starts, Is.EqualTo(3), "run 2 started right after the healthy run, without waiting");
            Assert.That(delays[0], Is.InRange(0.75, 1.0), "first failure after a healthy run waits the base delay");
            Assert.That(delays[1], Is.InRange(1.5, 2.0), "then doubles");
            Assert.That(metrics.For("gate").Frames, Is.EqualTo(8));
            Assert.That(metrics.For("gate").Reconnects, Is.EqualTo(2));
            Assert.That(metrics.For("gate").State, Is.EqualTo(CameraState.Stopped));
        });

        var frames = new List<Frame>();
        while (channel.Reader.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        Assert.That(frames.Select(f => f.Pts), Is.EqualTo(Enumerable.Range(0, 8).Select(i => TimeSpan.FromMilliseconds(100 * i))));
        Assert.That(frames.Select(f => f.CaptureTime - frames[0].CaptureTime), Is.EqualTo(Enumerable.Range(0, 8).Select(i => TimeSpan.FromSeconds(4 * i))));
        frames.ForEach(f => f.Release());
    }

    private static List<double> Delays(LogCapture logs) =>
        logs.Lines.Select(l => NextAttempt().Match(l)).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"next attempt in (\d+\.\d) s")]
    private static partial Regex NextAttempt();

    private sealed class DelegateFactory(Func<FrameSourceRequest, IFrameSource> start) : IFrameSourceFactory
    {
        public IFrameSource Start(FrameSourceRequest request, Action<FfmpegDiagnostic> onDiagnostic) => start(request);
    }
}
