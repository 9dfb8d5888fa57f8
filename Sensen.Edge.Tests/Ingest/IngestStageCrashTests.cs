using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>A camera supervisor that fails with a bug is restarted with its back-off, and a bug that keeps coming back stops the stage.</summary>
public sealed class IngestStageCrashTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Stage_SupervisorKeepsCrashing_RestartedWithBackoffThenStageFails(CancellationToken cancellationToken)
    {
        // A URL the validator would refuse makes the supervisor itself throw (UriFormatException), run after run.
        var tuning = IngestHarness.FastTuning with { SupervisorRestarts = 2 };
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", "not a url")], tuning: tuning);
        await ingest.StartAsync(cancellationToken);

        Exception? failure = null;
        try
        {
            await ingest.Stage.ExecuteTask!.WaitAsync(cancellationToken);
        }
        catch (SupervisorFailedException e)
        {
            failure = e;
        }

        var state = ingest.State("gate");
        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Not.Null, "the stage fails, so the host stops and the daemon exits non-zero");
            Assert.That(failure!.InnerException, Is.TypeOf<UriFormatException>());
            Assert.That(state.SupervisorCrashes, Is.EqualTo(3), "the first failure and two restarts");
            Assert.That(ingest.Logs.Lines.Count(l => l.Contains("camera gate: supervisor failed (", StringComparison.Ordinal) && l.Contains("restarting it in", StringComparison.Ordinal)), Is.EqualTo(2), ingest.Logs.Text);
            Assert.That(ingest.Logs.Text, Does.Contain("camera gate: supervisor failed 3 times in a row; stopping the daemon"));
            Assert.That(ingest.Logs.Text, Does.Contain("System.UriFormatException"), "each failure is logged with its exception");
            Assert.That(ingest.Edges.For("gate").ToDetection.Reader.Completion.IsCompleted, Is.True, "the camera's edge is completed, so detection ends");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Host_SupervisorKeepsCrashing_StopsByItself(CancellationToken cancellationToken)
    {
        await using var ingest = new IngestHarness([IngestHarness.Camera("gate", "not a url")], tuning: IngestHarness.FastTuning with { SupervisorRestarts = 1 });
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // As EdgeHost configures it: a failed stage stops the host, and run turns the faulted stage into exit code 1.
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        builder.Services.AddHostedService(_ => ingest.Stage);
        using var host = builder.Build();

        await host.StartAsync(cancellationToken);
        await host.WaitForShutdownAsync(cancellationToken);

        Assert.That(ingest.Stage.ExecuteTask!.IsFaulted, Is.True, "nothing but the crashes stopped this host");
        Assert.That(ingest.State("gate").SupervisorCrashes, Is.EqualTo(2));
    }
}
