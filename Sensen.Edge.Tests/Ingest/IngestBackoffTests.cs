using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

public sealed class IngestBackoffTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task Create_FailingForever_DelaysGrowWithJitterUpToTheCap(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var tuning = new IngestTuning { BackoffBase = TimeSpan.FromSeconds(1), BackoffMax = TimeSpan.FromSeconds(30) };
        var delays = new List<TimeSpan>();
        var pipeline = IngestBackoff.Create(tuning, time, args =>
        {
            lock (delays)
            {
                delays.Add(args.RetryDelay);
            }

            return default;
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var running = pipeline.ExecuteAsync(_ => throw new FrameSourceException(DiagnosticKind.ConnectionRefused, "refused"), stop.Token).AsTask();
        while (Count(delays) < 20)
        {
            time.Advance(TimeSpan.FromSeconds(31));
            await Task.Yield();
            await Task.Delay(1, cancellationToken);
        }

        await stop.CancelAsync();
        Assert.That(async () => await running, Throws.InstanceOf<OperationCanceledException>());
        Assert.Multiple(() =>
        {
            Assert.That(delays, Is.All.LessThanOrEqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(delays[0], Is.InRange(TimeSpan.FromSeconds(0.75), TimeSpan.FromSeconds(1)), "starts at the base delay");
            Assert.That(delays[3], Is.InRange(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(8)), "doubles per attempt");
            Assert.That(delays.Skip(10), Is.All.InRange(TimeSpan.FromSeconds(22.5), TimeSpan.FromSeconds(30)), "then stays near the cap");
            Assert.That(delays.Skip(10).Distinct().Count(), Is.GreaterThan(1), "jitter at the cap too: not lock-step");
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Create_CancelledWhileWaiting_StopsWithoutAnotherAttempt(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var pipeline = IngestBackoff.Create(new IngestTuning(), time, _ => default);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var running = pipeline.ExecuteAsync(
            _ =>
            {
                Interlocked.Increment(ref attempts);
                throw new FrameSourceException(DiagnosticKind.ConnectionRefused, "refused");
            },
            stop.Token).AsTask();
        await stop.CancelAsync();

        Assert.That(async () => await running, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(attempts, Is.EqualTo(1));
    }

    [TestCase(0, 0.0, 0.75)]
    [TestCase(0, 0.999, 1.0)]
    [TestCase(2, 0.0, 3.0)]
    [TestCase(10, 0.5, 26.25)]
    [TestCase(1000, 0.0, 22.5)]
    public void Delay_Attempt_ExponentialCappedJittered(int attempt, double random, double expectedSeconds) =>
        Assert.That(IngestBackoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), random).TotalSeconds, Is.EqualTo(expectedSeconds).Within(0.01));

    [TestCase(10, null, 5)]
    [TestCase(1, null, 20)]
    [TestCase(25, null, 5)]
    [TestCase(10, 12.0, 12)]
    public void StallTimeout_Fps_MaxOfFloorAndTwentyIntervals(double fps, double? configured, double expectedSeconds)
    {
        var camera = new CameraOptions { Analysis = new AnalysisOptions { Fps = fps }, StallTimeoutSeconds = configured };

        Assert.That(new IngestTuning().StallTimeout(camera), Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }

    private static int Count(List<TimeSpan> delays)
    {
        lock (delays)
        {
            return delays.Count;
        }
    }
}
