using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Pipeline;

/// <summary>Adds every camera's edges and pools (<see cref="PipelineEdges"/>) and the pipeline's end (<see cref="PipelineTerminal"/>).</summary>
internal static class PipelineRegistration
{
    /// <summary>The edges, built from what each camera's frames are and the pre-roll only.</summary>
    public static IServiceCollection AddPipelineEdges(this IServiceCollection services, IReadOnlyList<CameraFrames> cameras, double preRollSeconds)
    {
        services.AddMetrics();
        services.TryAddSingleton(new PipelineTuning());
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton(sp =>
        {
            var edges = new PipelineEdges(cameras, preRollSeconds, sp.GetRequiredService<PipelineTuning>(), sp.GetRequiredService<PipelineMetrics>());
            sp.GetRequiredService<PipelineStatus>().Register("pipeline", edges.Describe);
            return edges;
        });
        return services;
    }

    /// <summary>The consumer at the end of the live path; the tracking stage replaces it.</summary>
    public static IServiceCollection AddPipelineTerminal(this IServiceCollection services)
    {
        services.AddHostedService<PipelineTerminal>();
        return services;
    }
}
