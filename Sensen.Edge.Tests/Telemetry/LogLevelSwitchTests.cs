using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tests.Telemetry;

internal sealed class LogLevelSwitchTests
{
    [Test]
    public void Level_ChangedAfterLoggersExist_AppliesToThem()
    {
        var level = new LogLevelSwitch(LogLevel.Information);
        using var services = new ServiceCollection()
            .AddLogging(b => LoggingSetup.Configure(b, new TelemetryOptions { LogFormat = LogFormat.Console }, level, null))
            .BuildServiceProvider();
        var ours = services.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Ingest.IngestStage");
        var framework = services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.Extensions.Hosting.Internal.Host");

        Assert.That(ours.IsEnabled(LogLevel.Debug), Is.False);
        Assert.That(ours.IsEnabled(LogLevel.Information), Is.True);

        level.Level = LogLevel.Debug;
        Assert.That(ours.IsEnabled(LogLevel.Debug), Is.True, "loggers made before the change follow it");
        Assert.That(framework.IsEnabled(LogLevel.Information), Is.False, "the framework stays at Warning");

        level.Level = LogLevel.Error;
        Assert.That(ours.IsEnabled(LogLevel.Warning), Is.False);
        Assert.That(framework.IsEnabled(LogLevel.Warning), Is.False);
        Assert.That(framework.IsEnabled(LogLevel.Error), Is.True);
    }

    [Test]
    public void StartupGate_Closed_HoldsBackTheHostsErrorsOnly()
    {
        var level = new LogLevelSwitch(LogLevel.Information);
        var gate = new StartupGate();
        using var services = new ServiceCollection()
            .AddLogging(b => LoggingSetup.Configure(b, new TelemetryOptions { LogFormat = LogFormat.Console }, level, gate))
            .BuildServiceProvider();
        var host = services.GetRequiredService<ILoggerFactory>().CreateLogger(StartupGate.HostCategory);
        var ours = services.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Vault.VaultService");

        Assert.That(host.IsEnabled(LogLevel.Error), Is.False, "'Hosting failed to start' must not reach the journal");
        Assert.That(host.IsEnabled(LogLevel.Warning), Is.True);
        Assert.That(ours.IsEnabled(LogLevel.Critical), Is.True);

        gate.Open();
        Assert.That(host.IsEnabled(LogLevel.Error), Is.True, "a stage faulting while running is the host's to report");
    }
}
