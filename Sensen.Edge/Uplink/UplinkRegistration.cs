using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Uplink;

/// <summary>Adds the uplink stage to the daemon's host (nothing when <c>uplink.enabled</c> is false: evidence stays queued).</summary>
internal static class UplinkRegistration
{
    public static IServiceCollection AddUplink(this IServiceCollection services, LoadedConfig config)
    {
        var options = config.Options.Uplink;
        if (!options.Enabled)
        {
            return services;
        }

        // Availability, telemetry, commands and signal feeds ride the same session (Telemetry/TelemetryRegistration).
        services.AddSingleton(sp =>
        {
            var device = new DeviceMqtt(options.TopicPrefix, config.Options.Device.Id, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Uplink"));
            foreach (var participant in sp.GetServices<IDeviceMqttParticipant>())
            {
                device.Add(participant);
            }

            return device;
        });

        // The AckVerifier (vault.city_ack_public_key) is the vault's registration.
        services.AddHostedService(sp => new UplinkStage(
            sp.GetRequiredService<EvidenceVault>(),
            () => UplinkCredentials.DeviceEndpoint(config, CredentialStore.FromOptions(config.Options.Device)),
            sp.GetRequiredService<AckVerifier>(),
            options,
            config.Options.Device.Id,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Uplink"),
            sp.GetRequiredService<DeviceMqtt>()));
        return services;
    }
}
