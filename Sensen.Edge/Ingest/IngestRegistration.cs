using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Ingest;

/// <summary>Adds the Ingest stage's services to the daemon's host. The stage is given the camera list, not the whole configuration.</summary>
internal static class IngestRegistration
{
    public static IServiceCollection AddIngest(this IServiceCollection services, LoadedConfig config)
    {
        services.AddMetrics();
        services.TryAddSingleton(new IngestTuning());
        services.TryAddSingleton<IReadOnlyList<CameraOptions>>([.. config.Options.Cameras.Select(c => c.Ingest)]);
        services.TryAddSingleton(_ => CredentialStore.FromOptions(config.Options.Device));
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<HardwareProbe>();
        services.AddSingleton<IFrameSourceFactory, FfmpegFrameSourceFactory>();
        services.AddHostedService<IngestStage>();
        return services;
    }
}
