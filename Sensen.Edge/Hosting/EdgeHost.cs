using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Privacy;
using Sensen.Edge.Recording;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tracking;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Hosting;

/// <summary>Builds the daemon's Generic Host from a validated configuration: logging, systemd, and the stages.</summary>
internal static class EdgeHost
{
    public static IHost Build(LoadedConfig config, TimeSpan? stopAfter = null) => Build(config, new StartupGate(), stopAfter);

    /// <param name="startup">Opened by the caller once <c>StartAsync</c> returned; until then the host's own failure entries are not logged.</param>
    /// <param name="extend">Called last, before the host is built: the demo adds its frame observer and its log file here.</param>
    public static IHost Build(LoadedConfig config, StartupGate startup, TimeSpan? stopAfter = null, Action<IServiceCollection>? extend = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // The YAML file is the only configuration; no appsettings.json, no environment overrides.
            DisableDefaults = true,
            ApplicationName = "sensen-edge",
            ContentRootPath = config.Directory,
        });

        var options = config.Options;
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(options.Device.ShutdownTimeoutSeconds);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        var logLevel = new LogLevelSwitch(LogLevelSwitch.From(options.Telemetry.LogLevel));
        LoggingSetup.Configure(builder.Logging, options.Telemetry, logLevel, startup);
        builder.Services.AddSingleton(logLevel);

        // Each stage is given its own options by its registration; the whole EdgeOptions is not a service.
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => SystemdNotifier.FromEnvironment());
        builder.Services.AddSingleton(_ => Liveness.FromEnvironment());
        builder.Services.AddSingleton(_ =>
        {
            var status = new PipelineStatus();
            // Said in the status (systemd STATUS=, the run summary) so no operator mistakes queued evidence for sent.
            var delivery = options.Uplink.Enabled ? "the uplink delivers what the vault already holds" : "the uplink is off: queued evidence stays in the vault";
            status.Register("stages", () => $"violations are recorded as anonymised clips and sealed into the vault; {delivery}");
            return status;
        });
        builder.Services.AddHostedService<ReadinessService>();

        // Reload (SIGHUP, the remote command) and the run-time log level. First, so that a SIGHUP while the
        // models load is a reload and not the runtime's default action (the end of the process).
        builder.Services.AddSingleton<RuntimeControl>();
        builder.Services.AddSingleton<IRuntimeControl>(sp => sp.GetRequiredService<RuntimeControl>());
        builder.Services.AddHostedService<ReloadSignalService>();

        // Stages, consumers before producers: the host starts services in registration order and stops
        // them in reverse. Start: the vault opens (and its credentials are read) before models load, and
        // both before the first frame is read. Stop: ingest ends first and completes its edges, detection
        // stops and releases what is still waiting for it, tracking (the pipeline's end) releases the rest,
        // recording drains the events, finishes the open clips and releases the pre-roll rings
        // (docs/PIPELINE.md). Stage constructors do no work: the host builds every hosted service before
        // it starts the first, so work there would run before the vault is open.
        builder.Services.AddPipelineEdges([.. options.Cameras.Select(c => c.Ingest.Frames())], options.Recording.PreRollSeconds);
        builder.Services.AddVault(config);
        Sensen.Edge.Uplink.UplinkRegistration.AddUplink(builder.Services, config);
        builder.Services.AddTelemetry(config);
        builder.Services.AddRecording(config);
        builder.Services.AddTracking(config);
        builder.Services.AddDetection(config);
        // The clip path exists where clips can be recorded: a camera with rules (check-config then requires its
        // detectors). Without rules no event opens a clip, and there is nothing to anonymise.
        if (options.Cameras.Any(c => c.Rules.Rules.Count > 0))
        {
            builder.Services.AddPrivacy(config);
        }
        builder.Services.AddIngest(config);

        // After every stage has started: the watchdog reads their progress (docs/OPERATIONS.md, "Watchdog").
        builder.Services.AddHostedService<LivenessWiring>();
        builder.Services.AddHostedService(sp => new WatchdogService(
            WatchdogSettings.FromEnvironment(),
            sp.GetRequiredService<Liveness>(),
            sp.GetRequiredService<SystemdNotifier>(),
            sp.GetRequiredService<PipelineStatus>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WatchdogService>>()));

        if (stopAfter is { } delay)
        {
            builder.Services.AddHostedService(sp => new StopAfterService(delay, sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<TimeProvider>()));
        }

        extend?.Invoke(builder.Services);
        return builder.Build();
    }
}
