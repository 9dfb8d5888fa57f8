using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// Provider fallback on a machine without CUDA (this one): appending CUDA or TensorRT fails, the session
/// lands on the CPU, the reason is logged once, and the metric says "cpu". With require_gpu it refuses.
/// </summary>
internal sealed class ExecutionProviderTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = TestModels.NewModelsDirectory();
        var yaml = """
            format: yolov8
            input_width: 32
            input_height: 32
            num_classes: 1
            classes: [{ index: 0, class: person }]
            """;
        TestModels.Write(_dir, "a", TestModels.ConstantOutput(32, 32, new float[5 * 2], 1, 5, 2), yaml);
        TestModels.Write(_dir, "b", TestModels.ConstantOutput(32, 32, new float[5 * 3], 1, 5, 3), yaml);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Create_GpuProvidersUnavailable_FallsToCpuLogsOnceAndReportsMetric()
    {
        if (File.Exists("/dev/nvidia0"))
        {
            Assert.Ignore("a GPU is present; the fallback is exercised on machines without one");
        }

        var logger = new ListLogger();
        using var metrics = new DetectionMetrics();
        var reported = new List<(string Model, string Provider)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DetectionMetrics.MeterName && instrument.Name == "sensen.detection.provider")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            string? model = null, provider = null;
            foreach (var tag in tags)
            {
                model = tag.Key == "model" ? (string?)tag.Value : model;
                provider = tag.Key == "provider" ? (string?)tag.Value : provider;
            }

            reported.Add((model!, provider!));
        });
        listener.Start();
        var factory = new InferenceSessionFactory(
            new InferenceOptions { Providers = [ExecutionProviderKind.Tensorrt, ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu], IntraOpThreads = 1 },
            _dir,
            logger,
            metrics);

        using var a = factory.Create(ModelManifestReader.Read(_dir, "a"));
        using var b = factory.Create(ModelManifestReader.Read(_dir, "b"));
        listener.RecordObservableInstruments();

        Assert.That(a.Provider, Is.EqualTo(ExecutionProviderKind.Cpu));
        Assert.That(b.Provider, Is.EqualTo(ExecutionProviderKind.Cpu));
        var unavailable = logger.Messages.Where(m => m.Contains("is not available", StringComparison.Ordinal)).ToList();
        Assert.That(unavailable, Has.Count.EqualTo(2), "one line each for tensorrt and cuda, not one per model: " + string.Join(" | ", logger.Messages));
        Assert.That(unavailable[0], Does.StartWith("Execution provider tensorrt is not available"));
        Assert.That(unavailable[1], Does.StartWith("Execution provider cuda is not available"));
        Assert.That(reported, Is.EquivalentTo(new[] { ("a", "cpu"), ("b", "cpu") }));
    }

    [Test]
    public void Create_RequireGpuWithoutGpu_RefusesWithReasons()
    {
        if (File.Exists("/dev/nvidia0"))
        {
            Assert.Ignore("a GPU is present");
        }

        var factory = new InferenceSessionFactory(
            new InferenceOptions { Providers = [ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu], RequireGpu = true, IntraOpThreads = 1 },
            _dir);

        var e = Assert.Throws<ModelException>(() => factory.Create(ModelManifestReader.Read(_dir, "a")));

        Assert.That(e!.Message, Does.Contain("require_gpu is true and no GPU execution provider could run it").And.Contain("cuda:"));
    }

    [Test]
    public void Create_CpuOnly_NoFallbackLogged()
    {
        var logger = new ListLogger();
        var factory = new InferenceSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], IntraOpThreads = 1 }, _dir, logger);

        using var session = factory.Create(ModelManifestReader.Read(_dir, "a"));

        Assert.That(session.Provider, Is.EqualTo(ExecutionProviderKind.Cpu));
        Assert.That(session.OutputShapes[0], Is.EqualTo(new long[] { 1, 5, 2 }));
        Assert.That(logger.Messages.Where(m => m.Contains("not available", StringComparison.Ordinal)), Is.Empty);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
