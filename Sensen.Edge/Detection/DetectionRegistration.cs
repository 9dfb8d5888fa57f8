using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Detection;

/// <summary>Adds the Detection stage's services to the daemon's host.</summary>
internal static class DetectionRegistration
{
    /// <summary>
    /// Registers <see cref="DetectorSet"/> (every configured detector, sessions shared by all cameras), creates it
    /// in <see cref="DetectionStartup"/> (which starts after the vault: a missing credential does not wait behind
    /// model loading), and the stage, which gets the inference options and each camera's detectors, not the
    /// whole configuration.
    /// </summary>
    public static IServiceCollection AddDetection(this IServiceCollection services, LoadedConfig config)
    {
        var detectors = config.Options.Detectors;
        services.AddSingleton(config.Options.Inference);
        services.AddSingleton(sp => new DetectionMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp => DetectorSet.Create(config, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Detection"), sp.GetRequiredService<DetectionMetrics>()));
        services.AddHostedService(sp => new DetectionStartup(new Lazy<DetectorSet>(sp.GetRequiredService<DetectorSet>)));
        services.AddHostedService(sp => new DetectionStage(
            sp.GetRequiredService<PipelineEdges>(),
            camera =>
            {
                var set = sp.GetRequiredService<DetectorSet>();
                sp.GetRequiredService<DetectionMetrics>().CameraUses(camera, set.ProvidersFor(camera, detectors));
                return set.ForCamera(camera, detectors);
            },
            sp.GetRequiredService<InferenceOptions>(),
            sp.GetRequiredService<DetectionMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PipelineStatus>(),
            sp.GetRequiredService<ILogger<DetectionStage>>()));
        return services;
    }
}
