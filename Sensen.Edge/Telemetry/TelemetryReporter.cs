using System.Text.Json.Nodes;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Builds one telemetry message (docs/TELEMETRY.md) from the collected instruments, the vault's metadata, the
/// MQTT session and the host. Rates (fps) are over the time since the previous message; <c>violations_today</c>
/// counts from local midnight (<c>device.time_zone</c>) or from the start, whichever is later. A value this build
/// cannot know is null, never a made-up zero. <c>host.config_sha256</c> is asked for each message: after a reload
/// it is the new file's hash (evidence manifests keep the started one, docs/OPERATIONS.md).
/// </summary>
internal sealed class TelemetryReporter
{
    public const string Format = "sensen-telemetry/1";

    // Instruments read (each stage's metrics class owns its names).
    internal const string IngestFrames = "sensen.edge.ingest.frames";
    internal const string IngestState = "sensen.edge.ingest.state";
    internal const string IngestReconnects = "sensen.edge.ingest.reconnects";
    internal const string IngestStalls = "sensen.edge.ingest.stalls";
    internal const string IngestErrors = "sensen.edge.ingest.errors";
    internal const string PipelineDropped = "sensen.edge.pipeline.frames_dropped";
    internal const string PipelineEnded = "sensen.edge.pipeline.frames_ended";
    internal const string DetectionDuration = "sensen.detection.duration";
    internal const string DetectionProvider = "sensen.detection.provider";
    internal const string DetectionFrames = "sensen.detection.frames";
    internal const string DetectionCameraDuration = "sensen.detection.camera_duration";
    internal const string DetectionCameraProvider = "sensen.detection.camera_provider";
    internal const string RuleEvents = "sensen.edge.rules.events";
    internal const string RecordingClips = "sensen.edge.recording.clips";
    internal const string PrivacyMaskedWhole = "sensen.edge.privacy.frames_masked_whole";
    internal const string UplinkAcks = "sensen.uplink.acks";
    internal const string TrackingTracks = "sensen.edge.tracking.tracks";

    private static readonly string[] StateNames = ["idle", "connecting", "streaming", "waiting", "finished", "stopped"];

    private readonly TelemetryCollector _collector;
    private readonly EvidenceVault? _vault;
    private readonly DeviceMqtt? _device;
    private readonly IReadOnlyList<string> _cameras;
    private readonly string _deviceId;
    private readonly Func<string> _configSha256;
    private readonly string _stateDirectory;
    private readonly bool _allowInsecure;
    private readonly int _intervalSeconds;
    private readonly TimeZoneInfo _timeZone;
    private readonly TimeProvider _time;
    private readonly HostProbe _host;
    private readonly Dictionary<string, double> _previous = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _dayBaseline = new(StringComparer.Ordinal);
    private DateOnly? _day;
    private DateTimeOffset? _previousAt;

    public TelemetryReporter(
        TelemetryCollector collector, EvidenceVault? vault, DeviceMqtt? device, IReadOnlyList<string> cameras, string deviceId, Func<string> configSha256,
        string stateDirectory, bool allowInsecure, int intervalSeconds, TimeZoneInfo timeZone, TimeProvider time, HostProbe host)
    {
        _collector = collector;
        _vault = vault;
        _device = device;
        _cameras = cameras;
        _deviceId = deviceId;
        _configSha256 = configSha256;
        _stateDirectory = stateDirectory;
        _allowInsecure = allowInsecure;
        _intervalSeconds = intervalSeconds;
        _timeZone = timeZone;
        _time = time;
        _host = host;
    }

    public JsonObject Build()
    {
        var now = _time.GetUtcNow();
        _collector.Observe();
        var elapsed = _previousAt is { } before ? (now - before).TotalSeconds : (double?)null;
        _previousAt = now;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _timeZone).DateTime);
        var newDay = _day != today;
        _day = today;

        var cameras = new JsonObject();
        foreach (var camera in _cameras)
        {
            cameras[camera] = Camera(camera, elapsed, newDay);
        }

        return new JsonObject
        {
            ["format"] = Format,
            ["device_id"] = _deviceId,
            ["at"] = SealingFormat.Timestamp(now),
            ["interval_seconds"] = _intervalSeconds,
            ["cameras"] = cameras,
            ["detectors"] = Detectors(),
            ["vault"] = VaultSection(now),
            ["uplink"] = UplinkSection(now),
            ["host"] = HostSection(),
        };
    }

    private JsonObject Camera(string camera, double? elapsed, bool newDay)
    {
        bool Of(MetricSeries s) => s.Tag("camera") == camera;
        var state = _collector.Series(IngestState).FirstOrDefault(Of) is { } s ? (int)s.Last : -1;
        var violations = new JsonObject();
        foreach (var series in _collector.Series(RuleEvents).Where(Of).OrderBy(s => s.Tag("rule"), StringComparer.Ordinal))
        {
            var rule = series.Tag("rule") ?? "";
            var key = $"{camera}\n{rule}";
            if (newDay)
            {
                _dayBaseline[key] = _previous.GetValueOrDefault("violations\n" + key, 0);
            }

            _previous["violations\n" + key] = series.Sum;
            violations[rule] = (long)(series.Sum - _dayBaseline.GetValueOrDefault(key, 0));
        }

        var latency = _collector.Percentiles(DetectionCameraDuration, Of);
        return new JsonObject
        {
            ["state"] = state >= 0 && state < StateNames.Length ? StateNames[state] : null,
            ["fps_received"] = Rate("received\n" + camera, Sum(IngestFrames, Of), elapsed),
            ["fps_analysed"] = Rate("analysed\n" + camera, Sum(PipelineEnded, x => Of(x) && x.Tag("analysed") == "True"), elapsed),
            ["frames_dropped"] = (long)Sum(PipelineDropped, Of),
            ["reconnects"] = (long)Sum(IngestReconnects, Of),
            ["stalls"] = (long)Sum(IngestStalls, Of),
            ["decode_errors"] = (long)Sum(IngestErrors, Of),
            ["detection_latency_ms_p50"] = latency is { } l ? Math.Round(l.P50, 2) : null,
            ["detection_latency_ms_p95"] = latency is { } m ? Math.Round(m.P95, 2) : null,
            ["execution_provider"] = _collector.Series(DetectionCameraProvider).FirstOrDefault(Of)?.Tag("provider"),
            ["violations_today"] = violations,
            ["tracks"] = _collector.Series(TrackingTracks).FirstOrDefault(Of) is { } t ? (int)t.Last : null,
            // Recording tags each finished clip with its outcome; only sealed ones were recorded.
            ["clips_recorded"] = _collector.Has(RecordingClips) ? (long)Sum(RecordingClips, x => Of(x) && x.Tag("outcome") is null or "sealed") : null,
            ["frames_masked_whole"] = _collector.Has(PrivacyMaskedWhole) ? (long)Sum(PrivacyMaskedWhole, Of) : null,
        };
    }

    /// <summary>
    /// Per detector (<c>detectors[].id</c>): the sessions are shared by the cameras, so this is each model's own time.
    /// The provider gauge is per model session and names the detectors using it; a session no detector uses (the
    /// plate recogniser) is listed under its model name.
    /// </summary>
    private JsonObject Detectors()
    {
        var result = new JsonObject();
        static string ProviderKey(MetricSeries s) => s.Tag("detector") ?? s.Tag("model") ?? "";
        var providers = _collector.Series(DetectionProvider);
        var names = _collector.Series(DetectionFrames).Select(s => s.Tag("detector") ?? "")
            .Concat(providers.Select(ProviderKey))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var latency = _collector.Percentiles(DetectionDuration, s => s.Tag("detector") == name);
            result[name] = new JsonObject
            {
                ["execution_provider"] = providers.FirstOrDefault(s => ProviderKey(s) == name)?.Tag("provider"),
                ["frames"] = (long)Sum(DetectionFrames, s => s.Tag("detector") == name),
                ["latency_ms_p50"] = latency is { } l ? Math.Round(l.P50, 2) : null,
                ["latency_ms_p95"] = latency is { } m ? Math.Round(m.P95, 2) : null,
            };
        }

        return result;
    }

    private JsonObject? VaultSection(DateTimeOffset now)
    {
        if (_vault is null)
        {
            return null;
        }

        var items = _vault.List();
        var byState = new JsonObject();
        foreach (var state in new[] { EvidenceState.Sealed, EvidenceState.Sending, EvidenceState.AwaitingAck })
        {
            byState[EvidenceTransitions.Name(state)] = items.Count(i => i.State == state);
        }

        var oldest = items.Count == 0 ? (DateTimeOffset?)null : items.Min(i => i.CreatedAt);
        return new JsonObject
        {
            ["items"] = items.Count,
            ["items_by_state"] = byState,
            ["bytes"] = _vault.UsedBytes,
            ["quota_bytes"] = _vault.QuotaBytes,
            ["quota_used"] = _vault.QuotaBytes > 0 ? Math.Round((double)_vault.UsedBytes / _vault.QuotaBytes, 4) : null,
            ["oldest_age_seconds"] = oldest is { } o ? Math.Max(0, (long)(now - o).TotalSeconds) : null,
            ["holds"] = items.Count(i => i.LegalHold),
        };
    }

    private JsonObject UplinkSection(DateTimeOffset now)
    {
        var lastAck = _collector.Series(UplinkAcks).Where(s => s.Tag("outcome") == "deleted").Select(s => (DateTimeOffset?)s.LastAt).Max();
        var items = _vault?.List();
        return new JsonObject
        {
            ["connected"] = _device?.IsConnected == true,
            ["backlog_items"] = items?.Count,
            ["backlog_bytes"] = items?.Sum(i => i.SealedBytes),
            ["last_ack_age_seconds"] = lastAck is { } a ? Math.Max(0, (long)(now - a).TotalSeconds) : null,
            ["insecure"] = _device?.Insecure ?? _allowInsecure,
        };
    }

    private JsonObject HostSection()
    {
        var (total, available) = HostProbe.Memory();
        var temperatures = new JsonObject();
        foreach (var (name, celsius) in _host.Temperatures())
        {
            temperatures[name] = celsius;
        }

        return new JsonObject
        {
            ["cpu_percent"] = _host.CpuPercent(),
            ["memory_total_bytes"] = total,
            ["memory_available_bytes"] = available,
            ["process_memory_bytes"] = HostProbe.ProcessMemoryBytes(),
            ["disk_free_bytes"] = HostProbe.DiskFreeBytes(_stateDirectory),
            ["temperatures_c"] = temperatures,
            ["uptime_seconds"] = HostProbe.UptimeSeconds(),
            ["system_uptime_seconds"] = HostProbe.SystemUptimeSeconds(),
            ["version"] = HostProbe.Version,
            ["config_sha256"] = _configSha256(),
            ["clock_synchronised"] = KernelClock.IsSynchronized(),
        };
    }

    private double Sum(string instrument, Func<MetricSeries, bool> filter) => _collector.Series(instrument).Where(filter).Sum(s => s.Sum);

    private double? Rate(string key, double total, double? elapsed)
    {
        var had = _previous.TryGetValue(key, out var before);
        _previous[key] = total;
        return had && elapsed is > 0 ? Math.Round((total - before) / elapsed.Value, 2) : null;
    }
}
