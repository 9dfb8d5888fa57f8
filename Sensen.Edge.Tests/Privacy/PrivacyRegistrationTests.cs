using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Privacy;

/// <summary><c>AddPrivacy</c> from a real config file: the real clip path over the configured sessions, built while the host starts.</summary>
internal sealed class PrivacyRegistrationTests
{
    private static LoadedConfig Config(string method)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-privacy-");
        var path = Path.Combine(dir.FullName, "edge.yaml");
        File.WriteAllText(path, $$"""
            device: {id: a, state_directory: {{dir.FullName}}}
            cameras: [{id: c, url: 'rtsp://127.0.0.1/x'}]
            inference: {providers: [cpu], models_directory: {{RepoPaths.Models}}, intra_op_threads: 1}
            detectors: [{id: faces, model: face-tiny}, {id: plates, model: ppocr-v4-det}]
            privacy: {face_detector: faces, plate_detector: plates, plate_recognizer: ppocr-v4-rec, method: {{method}}}
            """);
        var result = ConfigLoader.Load(path);
        Assert.That(result.Errors, Is.Empty);
        return result.Config!;
    }

    [TestCase("blur", true)]
    [TestCase("mosaic", false)]
    [CancelAfter(60_000)]
    public async Task AddPrivacy_StartUp_BuildsTheClipPathAndWarnsOnlyAboutReversibleMethods(string method, bool warns, CancellationToken cancellationToken)
    {
        var config = Config(method);
        try
        {
            await StartAndCheck(config, method, warns, cancellationToken);
        }
        finally
        {
            Directory.Delete(config.Directory, recursive: true);
        }
    }

    private static async Task StartAndCheck(LoadedConfig config, string method, bool warns, CancellationToken cancellationToken)
    {
        using var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddSingleton(sp => DetectorSet.Create(config, sp.GetRequiredService<ILoggerFactory>().CreateLogger("test"), new DetectionMetrics()));
        services.AddPrivacy(config);
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(cancellationToken);
        }

        var anonymiser = provider.GetRequiredService<IClipAnonymiser>();
        Assert.That(anonymiser, Is.InstanceOf<ClipAnonymiser>());
        using var clip = anonymiser.Open(new ClipSubject("c", new Dictionary<long, IReadOnlyList<Sensen.Edge.Tracking.TrackPoint>>()));
        Assert.That(clip.Summary.Models.Keys, Is.EquivalentTo(new[] { "face-tiny", "ppocr-v4-det", "ppocr-v4-rec" }));
        Assert.That(clip.Summary.Method, Is.EqualTo(method));
        Assert.That(logs.Text, Does.Contain($"Clip path ready: faces by faces, plates by plates, persons by the live path, plate reading by ppocr-v4-rec, method {method}"));
        Assert.That(logs.Lines.Any(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("reversible", StringComparison.Ordinal)), Is.EqualTo(warns), logs.Text);
    }
}
