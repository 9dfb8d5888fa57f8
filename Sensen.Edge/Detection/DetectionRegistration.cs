using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Detection;

/// <summary>Adds the Detection stage's services to the daemon's host.</summary>
internal static class DetectionRegistration
{
    /// <summary>
    /// Registers <see cref="DetectorSet"/> (every configured detector, sessions shared by all cameras) and
    /// creates it during start-up. The pipeline stage resolves <see cref="DetectorSet"/> and calls
    /// <see cref="IDetector.Detect"/> per frame.
    /// </summary>
    public static IServiceCollection AddDetection(this IServiceCollection services, LoadedConfig config)
    {
        services.AddSingleton(sp => new DetectionMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp => DetectorSet.Create(config, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Detection"), sp.GetRequiredService<DetectionMetrics>()));
        services.AddHostedService(sp => new DetectionStartup(new Lazy<DetectorSet>(sp.GetRequiredService<DetectorSet>)));
        services.AddHostedService<DetectionStage>();
        return services;
    }
}
