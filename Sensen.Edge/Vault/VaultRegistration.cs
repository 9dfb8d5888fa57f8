using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Vault;

/// <summary>Adds the Vault stage's services to the daemon's host.</summary>
internal static class VaultRegistration
{
    public static IServiceCollection AddVault(this IServiceCollection services, LoadedConfig config)
    {
        // Both singletons: the container disposes the vault (closing LiteDB) before the keys it was opened with.
        services.AddSingleton(_ => VaultSettings.Load(config.Options, config.Directory, createIfMissing: true));
        services.AddSingleton(sp => EvidenceVault.Open(
            sp.GetRequiredService<VaultSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Vault")));
        services.AddSingleton(sp => sp.GetRequiredService<VaultSettings>().CreateAckVerifier(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Vault")));
        services.AddHostedService<VaultService>();
        return services;
    }
}
