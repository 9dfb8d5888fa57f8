using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Ingest;

/// <summary>Adds the Ingest stage's services to the daemon's host.</summary>
internal static class IngestRegistration
{
    public static IServiceCollection AddIngest(this IServiceCollection services, LoadedConfig config) => services;
}
