using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Hosting;

/// <summary><c>sensen-edge run --config FILE</c>: the daemon.</summary>
internal static class RunCommand
{
    /// <summary>What this build's daemon does; say more only when the stages that do more land.</summary>
    internal const string Description =
        "Run the daemon. This build decodes every camera, runs detection, tracks what it finds and evaluates the camera's rules "
        + "; a violation becomes a clip (pre-roll, event, post-roll) that passes the clip path's anonymiser, is encoded in memory and sealed into the vault "
        + "with its signed manifest, and the uplink delivers what the vault holds.";

    public static Command Create()
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The YAML configuration file.",
            DefaultValueFactory = _ => CliDefaults.ConfigPath,
        };
        var stopAfter = new Option<double?>("--stop-after")
        {
            Description = "Stop cleanly after this many seconds (demos, bench runs).",
        };
        var command = new Command("run", Description) { config, stopAfter };
        command.SetAction((result, cancellationToken) =>
            ExecuteAsync(result.GetValue(config)!, result.GetValue(stopAfter), cancellationToken));
        return command;
    }

    internal static async Task<int> ExecuteAsync(string configPath, double? stopAfterSeconds, CancellationToken cancellationToken)
    {
        var loaded = ConfigLoader.Load(configPath);
        if (!loaded.IsValid)
        {
            return CheckConfigCommand.Report(loaded, Console.Error);
        }

        if (stopAfterSeconds is <= 0)
        {
            await Console.Error.WriteLineAsync("sensen-edge run: --stop-after must be positive");
            return ExitCodes.Usage;
        }

        var startup = new StartupGate();
        using var host = EdgeHost.Build(loaded.Config!, startup, stopAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        try
        {
            // Not RunAsync: it disposes the host, and the summary below still reads its services.
            await host.StartAsync(cancellationToken);
            startup.Open();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C while starting.
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            // One line, on stderr (the journal under systemd), and a code that says what kind of failure it was;
            // the host's own "Hosting failed to start" entry with its stack is held back (StartupGate).
            await Console.Error.WriteLineAsync(StartupFailure.Describe(e));
            return StartupFailure.ExitCodeOf(e) ?? ExitCodes.Software;
        }

        try
        {
            await host.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C through System.CommandLine: a clean stop.
        }

        foreach (var line in host.Services.GetRequiredService<PipelineStatus>().Lines())
        {
            await Console.Out.WriteLineAsync(line);
        }

        // BackgroundServiceExceptionBehavior.StopHost stops the host but leaves the exit code to us:
        // a stage that died must make systemd see a failure (Restart=on-failure).
        var failed = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask is { IsFaulted: true });
        return failed ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
