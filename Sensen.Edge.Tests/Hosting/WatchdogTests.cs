using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Hosting;

/// <summary>The real daemon against a real unix datagram NOTIFY_SOCKET with WATCHDOG_USEC set, as systemd runs it.</summary>
internal sealed class WatchdogTests
{
    // One second: pings every 0.5 s, and a stage stuck for a second stops them; the tests take seconds.
    private const string WatchdogUsec = "1000000";

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_Healthy_PingsAtHalfTheInterval(CancellationToken cancellationToken)
    {
        // The example's camera is not there (reconnecting) and its broker is unreachable: known back-offs, still alive.
        using var config = RunnableConfig.FromExample();
        using var notify = new NotifySocket();
        using var daemon = DaemonProcess.Start(["run", "--config", config.ConfigPath], Environment(notify));
        await notify.WaitForAsync("READY=1", cancellationToken);

        var pings = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (pings < 6)
        {
            var message = await notify.ReceiveAsync(TimeSpan.FromSeconds(5), cancellationToken);
            Assert.That(message, Is.Not.Null, $"no watchdog ping within 5 s after {pings}; stderr:\n{daemon.StandardError}");
            Assert.That(message, Does.Not.Contain("stuck"), daemon.StandardError);
            pings += message!.Split('\n').Count(l => l == "WATCHDOG=1");
        }

        daemon.Signal(Posix.SigTerm);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.StandardError);
        // Six pings at 0.5 s take about 3 s; far fewer seconds than pings would mean pinging without a clock.
        Assert.That(started.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(2)));
        Assert.That(daemon.StandardError, Does.Contain("Watchdog: systemd expects a ping within 1 s"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_VaultLoopWedged_StopsPingingAndNamesTheStage(CancellationToken cancellationToken)
    {
        using var config = RunnableConfig.FromExample();
        using var notify = new NotifySocket();
        var environment = Environment(notify);
        environment[Liveness.WedgeVariable] = "vault";
        using var daemon = DaemonProcess.Start(["run", "--config", config.ConfigPath], environment);

        var seen = await notify.WaitForAsync("READY=1", cancellationToken);
        string? status = null;
        while (status is null)
        {
            var message = await notify.ReceiveAsync(TimeSpan.FromSeconds(10), cancellationToken);
            Assert.That(message, Is.Not.Null, daemon.StandardError);
            seen.Add(message!);
            status = message!.Split('\n').FirstOrDefault(l => l.StartsWith("STATUS=stuck", StringComparison.Ordinal));
        }

        Assert.That(status, Does.StartWith("STATUS=stuck, watchdog not fed: vault ("), daemon.StandardError);

        // Silence: three whole intervals without WATCHDOG=1, so systemd would have killed the unit.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(3))
        {
            var message = await notify.ReceiveAsync(TimeSpan.FromSeconds(3) - deadline.Elapsed, cancellationToken);
            Assert.That(message?.Split('\n'), message is null ? Is.Null : Has.No.Member("WATCHDOG=1"), "a wedged stage must silence the watchdog");
        }

        daemon.Signal(Posix.SigTerm);
        Assert.That(await daemon.WaitForExitAsync(cancellationToken), Is.Zero, daemon.StandardError);
        Assert.That(daemon.StandardError, Does.Contain("Watchdog: vault ("));
        Assert.That(daemon.StandardError, Does.Contain("made no progress; no longer pinging"));
    }

    private static Dictionary<string, string?> Environment(NotifySocket notify) => new()
    {
        ["NOTIFY_SOCKET"] = notify.Path,
        ["WATCHDOG_USEC"] = WatchdogUsec,
    };
}
