using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Privacy;

/// <summary>Adds the clip path to the daemon's host (Recording's wiring calls it beside <c>AddDetection</c>).</summary>
internal static class PrivacyRegistration
{
    /// <summary>
    /// Registers <see cref="IClipAnonymiser"/> as the real <see cref="ClipAnonymiser"/> over the configured
    /// detectors (sessions shared with the live path through <see cref="DetectorSet"/>) and the plate
    /// recogniser, the privacy meter, and <see cref="PrivacyStartup"/>, which builds it while the host starts
    /// and warns about a reversible method there. Call it after <c>AddDetection</c>.
    /// </summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, LoadedConfig config)
    {
        services.AddSingleton(sp => new PrivacyMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp => Create(
            config,
            sp.GetRequiredService<DetectorSet>(),
            sp.GetRequiredService<PrivacyMetrics>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<DetectionMetrics>(),
            sp.GetService<IFrameObserver>()));
        services.AddSingleton<IClipAnonymiser>(sp => sp.GetRequiredService<ClipAnonymiser>());
        services.AddHostedService(sp => new PrivacyStartup(new Lazy<ClipAnonymiser>(sp.GetRequiredService<ClipAnonymiser>), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sensen.Edge.Privacy")));
        return services;
    }

    /// <summary>The clip path over <paramref name="detectors"/>, with the recogniser's own session when one is configured.</summary>
    public static ClipAnonymiser Create(LoadedConfig config, DetectorSet detectors, PrivacyMetrics metrics, ILoggerFactory loggers, DetectionMetrics? detectionMetrics = null, IFrameObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(detectors);
        var options = config.Options.Privacy;
        var logger = loggers.CreateLogger("Sensen.Edge.Privacy");
        IClipDetector? Find(string? id) => id is null
            ? null
            : new OnnxClipDetector(detectors.All.FirstOrDefault(d => d.Id == id) ?? throw new ModelException($"privacy: detector '{id}' is not configured"));

        var faces = new[] { options.FaceDetector }.Concat(options.FaceDetectors).Where(id => id is not null).Distinct(StringComparer.Ordinal).Select(id => Find(id)!).ToList();
        TextRecognizer? recognizer = null;
        ModelDescriptor? recognizerModel = null;
        if (options.PlateRecognizer is { } name)
        {
            recognizerModel = ModelManifestReader.Read(config.ModelsDirectory, name);
            var factory = new InferenceSessionFactory(config.Options.Inference, config.Options.Device.StateDirectory, logger, detectionMetrics);
            var session = factory.Create(recognizerModel);
            try
            {
                recognizer = new TextRecognizer(session);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        return new ClipAnonymiser(options, new ClipModels(faces, Find(options.PlateDetector), Find(options.PersonDetector), recognizer, recognizerModel), metrics, logger, observer);
    }
}
