using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Configuration;
using Sensen.Edge.Hosting;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Rules;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Tests.Hosting;

/// <summary><see cref="RuntimeControl"/> on the example configuration with a real tracking stage: what a reload changes live.</summary>
internal sealed class RuntimeControlTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task ReloadAsync_RuleChanged_NewRulesInForceAndLogLevelSwitched(CancellationToken cancellationToken)
    {
        using var config = RunnableConfig.FromExample();
        await using var rig = Rig.Create(config);
        var before = rig.Tracking.Camera("cam-north").Rules;
        var original = await File.ReadAllTextAsync(config.ConfigPath, cancellationToken);
        await File.WriteAllTextAsync(config.ConfigPath, original
            .Replace("dwell_seconds: 3", "dwell_seconds: 9", StringComparison.Ordinal)
            .Replace("log_level: information", "log_level: warning", StringComparison.Ordinal), cancellationToken);

        var result = await rig.Control.ReloadAsync("test", cancellationToken);

        Assert.That(result.Applied, Is.True, string.Join("\n", result.Errors));
        Assert.That(result.ConfigHash, Is.Not.EqualTo(rig.Started.Sha256));
        var after = rig.Tracking.Camera("cam-north").Rules;
        Assert.That(after, Is.Not.SameAs(before));
        Assert.That(after.Rules.Select(r => r.Options.DwellSeconds), Does.Contain(9.0));
        Assert.That(before.Rules.Select(r => r.Options.DwellSeconds), Does.Not.Contain(9.0));
        Assert.That(rig.Level.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(rig.Control.ConfigSha256, Is.EqualTo(result.ConfigHash), "telemetry reports the configuration in force");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ReloadAsync_InvalidFile_RefusedWithPositionsAndNothingChanges(CancellationToken cancellationToken)
    {
        using var config = RunnableConfig.FromExample();
        await using var rig = Rig.Create(config);
        var before = rig.Tracking.Camera("cam-north").Rules;
        var original = await File.ReadAllTextAsync(config.ConfigPath, cancellationToken);
        await File.WriteAllTextAsync(config.ConfigPath, original
            .Replace("dwell_seconds: 3", "dwell_seconds: 9", StringComparison.Ordinal)
            .Replace("log_level: information", "log_level: debug", StringComparison.Ordinal)
            .Replace("transport: tcp", "transport: carrier-pigeon", StringComparison.Ordinal), cancellationToken);

        var result = await rig.Control.ReloadAsync("test", cancellationToken);

        Assert.That(result.Applied, Is.False);
        Assert.That(result.ConfigHash, Is.EqualTo(rig.Started.Sha256));
        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(result.Errors[0], Does.Match(@"sensen-edge\.yaml:\d+:\d+ cameras\[0\]\.transport: 'carrier-pigeon' is not one of tcp, udp"));
        Assert.That(rig.Tracking.Camera("cam-north").Rules, Is.SameAs(before), "the old rules stay");
        Assert.That(rig.Level.Level, Is.EqualTo(LogLevel.Information), "nothing of an invalid file is applied");
        Assert.That(rig.Control.ConfigSha256, Is.EqualTo(rig.Started.Sha256));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ReloadAsync_OperatorKeyUnreadable_RefusedAndTheVerifierKeepsItsKeys(CancellationToken cancellationToken)
    {
        using var config = RunnableConfig.FromExample();
        var verifier = new CommandVerifier([], "unit-0042", TimeProvider.System, TimeSpan.FromSeconds(300));
        await using var rig = Rig.Create(config, verifier);
        var original = await File.ReadAllTextAsync(config.ConfigPath, cancellationToken);
        await File.WriteAllTextAsync(config.ConfigPath, original
            .Replace("log_level: information", "log_level: debug", StringComparison.Ordinal)
            .Replace("command_max_age_seconds: 300", "command_max_age_seconds: 60", StringComparison.Ordinal)
            .Replace("  operators: []", "  operators:\n    - {id: night-1, role: operator, public_key: operators/missing.pem}", StringComparison.Ordinal), cancellationToken);

        var result = await rig.Control.ReloadAsync("test", cancellationToken);

        Assert.That(result.Applied, Is.False);
        Assert.That(result.Errors.Single(), Does.StartWith("telemetry.operators[0].public_key (").And.Contain("missing.pem): cannot read the operator's public key"));
        Assert.That(verifier.Operators, Is.Empty, "no key of a refused reload");
        Assert.That(verifier.MaxAge, Is.EqualTo(TimeSpan.FromSeconds(300)));
        Assert.That(rig.Level.Level, Is.EqualTo(LogLevel.Information), "nothing else of it either");
    }

    [Test]
    public void SetLogLevel_Debug_SwitchFollows()
    {
        using var config = RunnableConfig.FromExample();
        var loaded = ConfigLoader.Load(config.ConfigPath).Config!;
        var level = new LogLevelSwitch(LogLevel.Information);
        using var services = new ServiceCollection().BuildServiceProvider();
        IRuntimeControl control = new RuntimeControl(loaded, level, services, NullLogger<RuntimeControl>.Instance);

        control.SetLogLevel(LogLevel.Debug);

        Assert.That(level.Level, Is.EqualTo(LogLevel.Debug));
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private Rig(ServiceProvider services, LoadedConfig started, LogLevelSwitch level)
        {
            _services = services;
            Started = started;
            Level = level;
            Tracking = services.GetServices<IHostedService>().OfType<TrackingStage>().Single();
            Control = new RuntimeControl(started, level, services, NullLogger<RuntimeControl>.Instance);
        }

        public LoadedConfig Started { get; }

        public LogLevelSwitch Level { get; }

        public TrackingStage Tracking { get; }

        public RuntimeControl Control { get; }

        public static Rig Create(RunnableConfig config, CommandVerifier? verifier = null)
        {
            var loaded = ConfigLoader.Load(config.ConfigPath);
            Assert.That(loaded.IsValid, Is.True, string.Join("\n", loaded.Errors));
            var started = loaded.Config!;
            var options = started.Options;
            var services = new ServiceCollection().AddMetrics().AddSingleton<SignalFeeds>();
            if (verifier is not null)
            {
                services.AddSingleton(verifier);
            }

            services.AddSingleton(sp => new PipelineEdges([.. options.Cameras.Select(c => c.Ingest.Frames())], 0, new PipelineTuning(), new PipelineMetrics(sp.GetRequiredService<IMeterFactory>())));
            services.AddSingleton<IHostedService>(sp => new TrackingStage(
                sp.GetRequiredService<PipelineEdges>(),
                id => new CameraRules(id, options.Cameras.Single(c => c.Id == id).Rules, TimeZoneInfo.Utc, sp.GetRequiredService<SignalFeeds>()),
                new PipelineMetrics(sp.GetRequiredService<IMeterFactory>()),
                new ViolationChannel(),
                new PipelineStatus(),
                NullLogger<TrackingStage>.Instance));
            return new Rig(services.BuildServiceProvider(), started, new LogLevelSwitch(LogLevel.Information));
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
