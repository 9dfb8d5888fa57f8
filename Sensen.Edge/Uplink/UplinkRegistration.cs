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

        // The AckVerifier (vault.city_ack_public_key) is the vault's registration.
        services.AddHostedService(sp => new UplinkStage(
            sp.GetRequiredService<EvidenceVault>(),
            () => UplinkCredentials.DeviceEndpoint(config, CredentialStore.FromOptions(config.Options.Device)),
            sp.GetRequiredService<AckVerifier>(),
            options,
            config.Options.Device.Id,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Uplink")));
        return services;
    }
}
