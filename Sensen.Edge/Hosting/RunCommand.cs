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

        using var host = EdgeHost.Build(loaded.Config!, stopAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        try
        {
            // Not RunAsync: it disposes the host, and the summary below still reads its services.
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (StartupFailure.ExitCodeOf(e) is { } code)
        {
            // The stage has logged why; systemd gets a code that says what kind of failure it was.
            await Console.Error.WriteLineAsync($"sensen-edge: cannot start: {e.Message}");
            return code;
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
