using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sensen.Edge.Configuration;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Pipeline;

/// <summary>Adds every camera's edges and pools (<see cref="PipelineEdges"/>) and the pipeline's end (<see cref="PipelineTerminal"/>).</summary>
internal static class PipelineRegistration
{
    /// <summary>The edges, built from the camera list and the pre-roll only.</summary>
    public static IServiceCollection AddPipelineEdges(this IServiceCollection services, LoadedConfig config)
    {
        services.AddMetrics();
        services.TryAddSingleton<IReadOnlyList<CameraOptions>>([.. config.Options.Cameras.Select(c => c.Ingest)]);
        services.TryAddSingleton(new PipelineTuning());
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton(sp => new PipelineEdges(sp.GetRequiredService<IReadOnlyList<CameraOptions>>(), config.Options.Recording, sp.GetRequiredService<PipelineTuning>(), sp.GetRequiredService<PipelineMetrics>()));
        return services;
    }

    /// <summary>The consumer at the end of the live path; the tracking stage replaces it.</summary>
    public static IServiceCollection AddPipelineTerminal(this IServiceCollection services)
    {
        services.AddHostedService<PipelineTerminal>();
        return services;
    }
}
