using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sensen.Edge.Detection;
using Sensen.Edge.Ingest;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.Vault;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>docs/TELEMETRY.md's example message and what <see cref="TelemetryReporter"/> builds have exactly the same fields.</summary>
[TestFixture]
internal sealed class TelemetryDocumentationTests
{
    [Test]
    public void Example_FieldsMatchTheReporter_BothWays()
    {
        using var env = new VaultTestEnvironment();
        using var vault = env.Open();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var collector = new TelemetryCollector(env.Time);

        // The real stage metrics classes where they can stand alone; the rules counter by its name and tags.
        var ingest = new IngestMetrics(services.GetRequiredService<IMeterFactory>());
        var camera = ingest.For("cam-doc");
        camera.SetState(CameraState.Streaming);
        camera.FrameIn();
        camera.Reconnected();
        using var detection = new DetectionMetrics();
        detection.ProviderSelected("centernet-doc", ExecutionProviderKind.Cpu);
        detection.DetectorUses("vehicles-doc", "centernet-doc");
        detection.FrameDetected("vehicles-doc", 12.5);
        detection.CameraUses("cam-doc", [ExecutionProviderKind.Cpu]);
        detection.CameraFrameDetected("cam-doc", 14.0);
        using var rules = new Meter("Sensen.Edge.Rules");
        rules.CreateCounter<long>("sensen.edge.rules.events").Add(1, new("camera", "cam-doc"), new("rule", "red-light-1"));

        var thermal = Directory.CreateDirectory(Path.Combine(env.Root, "thermal", "thermal_zone0")).FullName;
        File.WriteAllText(Path.Combine(thermal, "type"), "cpu-thermal\n");
        File.WriteAllText(Path.Combine(thermal, "temp"), "51250\n");
        var reporter = new TelemetryReporter(collector, vault, null, ["cam-doc"], "unit-doc", () => "cafe", env.StateDirectory, false, 30, TimeZoneInfo.Utc, env.Time,
            new HostProbe(Path.Combine(env.Root, "thermal"), nvidiaSmi: "/nonexistent/nvidia-smi"));

        var published = TelemetrySchema.Paths(reporter.Build());
        var documented = TelemetrySchema.Paths(TelemetrySchema.DocumentedExample());

        Assert.That(published.Except(documented), Is.Empty, "published but not in docs/TELEMETRY.md's example");
        Assert.That(documented.Except(published), Is.Empty, "in docs/TELEMETRY.md's example but not published");
        Assert.That(published, Does.Contain("cameras.*.violations_today.*").And.Contain("host.temperatures_c.*").And.Contain("detectors.*.latency_ms_p95")
            .And.Contain("cameras.*.detection_latency_ms_p95").And.Contain("cameras.*.execution_provider"));
    }

    [Test]
    public void Example_EveryFieldHasARowInTheFieldTable()
    {
        var text = File.ReadAllText(Path.Combine(TestSupport.RepoPaths.Root, "docs", "TELEMETRY.md"));
        var leaves = TelemetrySchema.Paths(TelemetrySchema.DocumentedExample())
            .Where(p => p.Contains('.', StringComparison.Ordinal) && !p.StartsWith("vault.items_by_state", StringComparison.Ordinal))
            .Select(p => p.EndsWith(".*", StringComparison.Ordinal) ? p[..^2] : p);
        foreach (var leaf in leaves)
        {
            Assert.That(text, Does.Contain($"`{leaf}`"), $"{leaf} has no row in the field table");
        }
    }
}
