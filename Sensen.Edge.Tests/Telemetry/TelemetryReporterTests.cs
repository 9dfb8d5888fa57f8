using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>The reporter's arithmetic: rates over the interval, violations from local midnight, insecure mode from the session itself.</summary>
[TestFixture]
internal sealed class TelemetryReporterTests
{
    [Test]
    public void Build_RatesAndViolationsToday_AreOverTheIntervalAndFromLocalMidnight()
    {
        using var env = new VaultTestEnvironment();
        using var vault = env.Open();
        using var collector = new TelemetryCollector(env.Time);
        // A meter name of this test's own under Sensen.Edge, so parallel tests' instruments cannot mix in.
        var camera = "cam-" + Guid.NewGuid().ToString("N")[..8];
        using var ingest = new Meter("Sensen.Edge.Ingest");
        var frames = ingest.CreateCounter<long>("sensen.edge.ingest.frames");
        using var rulesMeter = new Meter("Sensen.Edge.Rules");
        var events = rulesMeter.CreateCounter<long>("sensen.edge.rules.events");
        var reporter = new TelemetryReporter(collector, vault, null, [camera], "unit-r", () => "cafe", env.StateDirectory, false, 30, TimeZoneInfo.Utc, env.Time, new HostProbe("/nonexistent", "/nonexistent/nvidia-smi"));
        var tag = new KeyValuePair<string, object?>("camera", camera);
        var rule = new KeyValuePair<string, object?>("rule", "bus-lane");

        frames.Add(100, tag);
        events.Add(2, tag, rule);
        var first = reporter.Build();
        env.Time.Advance(TimeSpan.FromSeconds(10));
        frames.Add(50, tag);
        var second = reporter.Build();
        // Past midnight UTC: yesterday's events no longer count.
        env.Time.Advance(TimeSpan.FromHours(24));
        events.Add(1, tag, rule);
        var third = reporter.Build();

        Assert.That(first["cameras"]![camera]!["fps_received"], Is.Null, "no rate without a previous message");
        Assert.That((double?)second["cameras"]![camera]!["fps_received"], Is.EqualTo(5.0));
        Assert.That((long?)second["cameras"]![camera]!["violations_today"]!["bus-lane"], Is.EqualTo(2));
        Assert.That((long?)third["cameras"]![camera]!["violations_today"]!["bus-lane"], Is.EqualTo(1));
        Assert.That((int?)third["vault"]!["items"], Is.Zero);
        Assert.That(third["vault"]!["oldest_age_seconds"], Is.Null);
        Assert.That((bool?)third["uplink"]!["insecure"], Is.False);
    }

    [Test]
    public void Build_DetectionPerCameraAndPerDetector_LatencyAndProviderJoinedOnTheDetectorId()
    {
        using var env = new VaultTestEnvironment();
        using var vault = env.Open();
        using var collector = new TelemetryCollector(env.Time);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string north = "north-" + suffix, south = "south-" + suffix, vehicles = "vehicles-" + suffix, faces = "faces-" + suffix;
        string centernet = "centernet-" + suffix, blazeface = "blazeface-" + suffix, recogniser = "ocr-rec-" + suffix;
        using var detection = new Sensen.Edge.Detection.DetectionMetrics();
        // Sessions are made per model; detectors (and their frames) have their own ids.
        detection.ProviderSelected(centernet, Sensen.Edge.Detection.ExecutionProviderKind.Cuda);
        detection.ProviderSelected(blazeface, Sensen.Edge.Detection.ExecutionProviderKind.Cpu);
        detection.ProviderSelected(recogniser, Sensen.Edge.Detection.ExecutionProviderKind.Cuda);
        detection.DetectorUses(vehicles, centernet);
        detection.DetectorUses(faces, blazeface);
        detection.CameraUses(north, [Sensen.Edge.Detection.ExecutionProviderKind.Cuda, Sensen.Edge.Detection.ExecutionProviderKind.Cpu]);
        detection.CameraUses(south, [Sensen.Edge.Detection.ExecutionProviderKind.Cuda]);
        for (var i = 1; i <= 20; i++)
        {
            detection.CameraFrameDetected(north, i);
            detection.FrameDetected(vehicles, 100 + i);
        }

        detection.CameraFrameDetected(south, 7);
        var reporter = new TelemetryReporter(collector, vault, null, [north, south], "unit-d", () => "cafe", env.StateDirectory, false, 30, TimeZoneInfo.Utc, env.Time, new HostProbe("/nonexistent", "/nonexistent/nvidia-smi"));

        var first = reporter.Build();
        var second = reporter.Build();

        var cameraNorth = first["cameras"]![north]!;
        Assert.That((double?)cameraNorth["detection_latency_ms_p50"], Is.EqualTo(10.0), "nearest rank of 1..20");
        Assert.That((double?)cameraNorth["detection_latency_ms_p95"], Is.EqualTo(19.0));
        Assert.That((string?)cameraNorth["execution_provider"], Is.EqualTo("cpu"), "one detector on the CPU holds the camera back");
        Assert.That((double?)first["cameras"]![south]!["detection_latency_ms_p50"], Is.EqualTo(7.0), "each camera its own frames");
        Assert.That((string?)first["cameras"]![south]!["execution_provider"], Is.EqualTo("cuda"));
        var detectors = first["detectors"]!.AsObject();
        Assert.That((string?)detectors[vehicles]!["execution_provider"], Is.EqualTo("cuda"), "the provider of the detector's model, joined on the detector id");
        Assert.That((long?)detectors[vehicles]!["frames"], Is.EqualTo(20));
        Assert.That((double?)detectors[vehicles]!["latency_ms_p50"], Is.EqualTo(110.0));
        Assert.That((string?)detectors[faces]!["execution_provider"], Is.EqualTo("cpu"));
        Assert.That((string?)detectors[recogniser]!["execution_provider"], Is.EqualTo("cuda"), "a session no detector uses, by its model name");
        Assert.That(detectors.ContainsKey(centernet), Is.False, "a model used by a detector is not listed twice");
        Assert.That(second["cameras"]![north]!["detection_latency_ms_p50"], Is.Null, "no frames since the previous message");
    }

    [Test]
    public async Task Build_PlaintextSession_IsReportedInsecure()
    {
        const string broker = "mqtt://localhost:1883";
        const bool insecure = true;
        using var env = new VaultTestEnvironment();
        using var vault = env.Open();
        using var collector = new TelemetryCollector(env.Time);
        var device = new DeviceMqtt("sensen", "unit-i", NullLogger.Instance);
        await using var session = new MqttSession(new MqttEndpoint { Broker = new Uri(broker), ClientId = "unit-i" }, TimeProvider.System, NullLogger.Instance);
        device.Attach(session);
        var reporter = new TelemetryReporter(collector, vault, device, [], "unit-i", () => "cafe", env.StateDirectory, allowInsecure: false, 30, TimeZoneInfo.Utc, env.Time, new HostProbe("/nonexistent", "/nonexistent/nvidia-smi"));

        JsonNode message = reporter.Build();

        Assert.That((bool?)message["uplink"]!["insecure"], Is.EqualTo(insecure));
        Assert.That((bool?)message["uplink"]!["connected"], Is.False);
    }
}
