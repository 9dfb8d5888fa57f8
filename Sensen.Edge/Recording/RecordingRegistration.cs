using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Ingest;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Privacy;
using Sensen.Edge.Rules;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Recording;

/// <summary>
/// Adds the recording stage: the per-camera recorders (fed by the tracking stage), the stage that reads the
/// violation events, and the clip writer. The clip path's anonymiser is the registered <see cref="IClipAnonymiser"/>
/// (Privacy's); without one, <see cref="MaskingClipAnonymiser"/> masks every frame whole (fail closed), said at start.
/// Register after the vault and before tracking: the host stops services in reverse, so recording outlives the
/// tracking stage (and drains its events) and the vault outlives recording.
/// </summary>
internal static class RecordingRegistration
{
    public static IServiceCollection AddRecording(this IServiceCollection services, LoadedConfig config)
    {
        var options = config.Options.Recording;
        var fps = config.Options.Cameras.ToDictionary(c => c.Id, c => c.Ingest.Frames().Fps, StringComparer.Ordinal);
        services.AddSingleton(sp => new RecordingMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp =>
        {
            var ingest = sp.GetService<IngestMetrics>();
            return new Recorders(sp.GetRequiredService<PipelineEdges>(), options, id => ingest?.For(id) is { } s ? new StreamCounters(s.Dropped, s.Reconnects, s.Stalls) : default);
        });
        services.AddHostedService(sp =>
        {
            var logs = sp.GetRequiredService<ILoggerFactory>();
            var anonymiser = sp.GetService<IClipAnonymiser>() ?? new MaskingClipAnonymiser();

            var vault = sp.GetRequiredService<EvidenceVault>();
            var encoder = new TaskCompletionSource<ClipEncoder>(TaskCreationOptions.RunContinuationsAsynchronously);
            var ffmpeg = sp.GetService<IngestTuning>()?.FfmpegPath ?? "ffmpeg";
            var settings = new ClipWriterSettings
            {
                FfmpegPath = ffmpeg,
                Encoder = encoder.Task,
                Quality = options.Quality,
                ConfigSha256 = config.Sha256,
                LiveModels = () => LiveModels(sp),
            };
            var metrics = sp.GetRequiredService<RecordingMetrics>();
            var writer = new ClipWriter(anonymiser, async (m, s, ct) => (await vault.SealAsync(m, s, ct).ConfigureAwait(false)).Id, settings, metrics, logs.CreateLogger<ClipWriter>());
            return new RecordingStage(
                sp.GetRequiredService<Recorders>(),
                sp.GetRequiredService<ViolationChannel>(),
                writer,
                new EncoderProbe(ffmpeg, logs.CreateLogger<EncoderProbe>()),
                encoder,
                options,
                fps,
                metrics,
                sp.GetRequiredService<PipelineStatus>(),
                logs.CreateLogger<RecordingStage>())
            {
                MasksEveryFrame = anonymiser is MaskingClipAnonymiser,
            };
        });
        return services;
    }

    /// <summary>Every loaded live-path model, by manifest name (only once detection has loaded them: a clip cannot exist before).</summary>
    private static IReadOnlyDictionary<string, string> LiveModels(IServiceProvider services)
    {
        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        if (services.GetService<DetectorSet>() is { } detectors)
        {
            foreach (var detector in detectors.All)
            {
                models[detector.Model.Name] = detector.Model.Sha256.ToLowerInvariant();
            }
        }

        return models;
    }
}
