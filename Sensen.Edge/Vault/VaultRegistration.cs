using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Vault;

/// <summary>Adds the Vault stage's services to the daemon's host.</summary>
internal static class VaultRegistration
{
    public static IServiceCollection AddVault(this IServiceCollection services, LoadedConfig config) => services;
}
