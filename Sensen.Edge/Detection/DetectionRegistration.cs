using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Detection;

/// <summary>Adds the Detection stage's services to the daemon's host.</summary>
internal static class DetectionRegistration
{
    public static IServiceCollection AddDetection(this IServiceCollection services, LoadedConfig config) => services;
}
