using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Rules;
using Sensen.Edge.Telemetry;
using System.Diagnostics.Metrics;

namespace Sensen.Edge.Tracking;

/// <summary>Adds the tracking and rules stage at the end of the live path; it hands frames to Recording's recorders and events to its channel.</summary>
internal static class TrackingRegistration
{
    public static IServiceCollection AddTracking(this IServiceCollection services, LoadedConfig config)
    {
        var cameras = config.Options.Cameras;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(config.Options.Device.TimeZone); // validated at load
        services.AddSingleton<SignalFeeds>();
        services.AddSingleton(sp => new ViolationChannel(sp.GetService<IMeterFactory>()));

        // The consumer of the events is the recording stage (AddRecording, registered before this, so it outlives the stage and drains it).
        services.AddHostedService(sp => new TrackingStage(
            sp.GetRequiredService<PipelineEdges>(),
            id => new CameraRules(id, cameras.Single(c => c.Id == id).Rules, zone, sp.GetRequiredService<SignalFeeds>()),
            sp.GetRequiredService<PipelineMetrics>(),
            sp.GetRequiredService<ViolationChannel>(),
            sp.GetRequiredService<PipelineStatus>(),
            sp.GetRequiredService<ILogger<TrackingStage>>(),
            id => cameras.Single(c => c.Id == id).Tracking.ToTrackerOptions(),
            sp.GetService<Recording.Recorders>(),
            sp.GetService<IFrameObserver>()));
        return services;
    }
}
