using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Rules;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Telemetry, availability, remote commands and signal feeds: all over the uplink's one MQTT session, so nothing
/// when <c>uplink.enabled</c> is false (the journal and <c>status</c> still say how the unit is).
/// </summary>
internal static class TelemetryRegistration
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, LoadedConfig config)
    {
        var options = config.Options;
        if (!options.Uplink.Enabled)
        {
            return services;
        }

        services.AddSingleton(sp => new TelemetryCollector(sp.GetRequiredService<TimeProvider>()));
        // A singleton of its own: a reload (Hosting/RuntimeControl) gives it new operator keys and window, keeping its nonces.
        services.AddSingleton(sp => new CommandVerifier(
            OperatorKeys.Load(options.Telemetry, config.Directory), options.Device.Id, sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(options.Telemetry.CommandMaxAgeSeconds)));
        services.AddSingleton<IDeviceMqttParticipant>(sp => new CommandHandler(
            sp.GetRequiredService<CommandVerifier>(),
            sp.GetRequiredService<EvidenceVault>(),
            options.Uplink.TopicPrefix,
            options.Device.Id,
            sp.GetService<IRuntimeControl>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Telemetry.Commands")));
        var signalTopics = options.Cameras.SelectMany(c => c.Rules.Rules)
            .Where(r => r.Type == RuleKind.RedLight && r.Signal?.Topic is { Length: > 0 })
            .Select(r => r.Signal!.Topic!).Distinct(StringComparer.Ordinal).ToList();
        if (signalTopics.Count > 0)
        {
            services.AddSingleton<IDeviceMqttParticipant>(sp => new SignalFeedSubscriber(
                sp.GetRequiredService<SignalFeeds>(), signalTopics, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Telemetry.Signals")));
        }

        services.AddHostedService(sp => new TelemetryService(
            new TelemetryReporter(
                sp.GetRequiredService<TelemetryCollector>(),
                sp.GetRequiredService<EvidenceVault>(),
                sp.GetRequiredService<DeviceMqtt>(),
                [.. options.Cameras.Select(c => c.Id)],
                options.Device.Id,
                () => sp.GetService<IRuntimeControl>()?.ConfigSha256 ?? config.Sha256,
                Path.GetDirectoryName(sp.GetRequiredService<VaultSettings>().DatabasePath)!,
                options.Uplink.AllowInsecure,
                options.Telemetry.IntervalSeconds,
                TimeZoneInfo.FindSystemTimeZoneById(options.Device.TimeZone),
                sp.GetRequiredService<TimeProvider>(),
                new HostProbe()),
            sp.GetRequiredService<DeviceMqtt>(),
            TimeSpan.FromSeconds(options.Telemetry.IntervalSeconds),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Telemetry")));
        return services;
    }
}
