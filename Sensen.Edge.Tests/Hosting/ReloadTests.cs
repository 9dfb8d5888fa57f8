using Sensen.Edge.Configuration;
using Sensen.Edge.Hosting;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Hosting;

/// <summary>Reload on SIGHUP in the real daemon, with evidence queued in its vault.</summary>
internal sealed class ReloadTests
{
    /// <summary>
    /// Three items queued, then a clip opened by a rule that fires within seconds (face-api's sample1 looped: three
    /// people standing in a zone over the whole frame, real CenterNet and BlazeFace, dwell 1 s). While that clip is
    /// open (its post-roll is 6 s), a valid and then an invalid file are sent by SIGHUP; the clip is sealed only
    /// afterwards, and the queued items are untouched.
    /// </summary>
    [Test]
    [CancelAfter(120_000)]
    public async Task Sighup_ValidThenInvalidFileWhileAClipIsOpen_AppliesThenRefusesAndLosesNothing(CancellationToken cancellationToken)
    {
        using var env = new VaultTestEnvironment();
        var queued = new List<EvidenceRecord>();
        for (var i = 0; i < 3; i++)
        {
            queued.Add(await env.SealInClosedVaultAsync(4000 + i, cancellationToken, seed: i + 1));
        }

        var clip = await TestClips.FacesMp4Async(cancellationToken);
        var config = Path.Combine(env.Root, "edge.yaml");
        var original = $$"""
            device:
              id: unit-reload
              state_directory: {{env.StateDirectory}}
              credentials_directory: {{env.CredentialsDirectory}}
              time_zone: UTC
            cameras:
              - id: kerb
                url: file://{{clip}}
                loop: true
                hwaccel: none
                analysis:
                  fps: 5
                  width: 640
                  height: 360
                zones:
                  - {id: everywhere, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]]}
                rules:
                  - {id: people-in-lane, type: bus_lane, zone: everywhere, classes: [person], dwell_seconds: 1}
                tracking: {high_score: 0.4, new_track_score: 0.45}
            inference:
              providers: [cpu]
              models_directory: {{RepoPaths.Models}}
            detectors:
              - {id: objects, model: centernet}
              - {id: faces, model: blazeface, crops_of: [person], crop_height: 0.5}
              - {id: plates, model: ppocr-v4-det, live: false}
            privacy:
              face_detector: faces
              plate_detector: plates
            recording:
              pre_roll_seconds: 1
              post_roll_seconds: 6
              max_clip_seconds: 12
              encoder: libx264
            vault:
              city_public_key: {{env.CityPublicKeyPath}}
              city_ack_public_key: {{env.CityAckPublicKeyPath}}
              retention_days: 30
            uplink:
              enabled: false
            telemetry:
              log_level: information
            """;
        await File.WriteAllTextAsync(config, original, cancellationToken);
        using var notify = new NotifySocket();
        using var daemon = DaemonProcess.Start(["run", "--config", config], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1", cancellationToken);
        await Eventually.AssertAsync(() => daemon.StandardError.Contains("Clip 1 of camera kerb opened", StringComparison.Ordinal), TimeSpan.FromSeconds(40), () => daemon.StandardError, cancellationToken);

        // Valid: live changes (log level, the rule's dwell: its rules are replaced between two frames) and one that needs a restart (retention).
        await File.WriteAllTextAsync(config, original
            .Replace("log_level: information", "log_level: debug", StringComparison.Ordinal)
            .Replace("dwell_seconds: 1", "dwell_seconds: 2", StringComparison.Ordinal)
            .Replace("retention_days: 30", "retention_days: 31", StringComparison.Ordinal), cancellationToken);
        daemon.Signal(Posix.SigHup);
        await Eventually.AssertAsync(() => daemon.StandardError.Contains("Reloaded (sighup)", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => daemon.StandardError, cancellationToken);

        // Invalid: refused with its positioned error; the daemon keeps running on the old configuration.
        await File.WriteAllTextAsync(config, original.Replace("fps: 5", "fps: 0", StringComparison.Ordinal), cancellationToken);
        daemon.Signal(Posix.SigHup);
        await Eventually.AssertAsync(() => daemon.StandardError.Contains("Reload (sighup) refused", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => daemon.StandardError, cancellationToken);
        var refusedAt = daemon.StandardError.IndexOf("Reload (sighup) refused", StringComparison.Ordinal);

        await Eventually.AssertAsync(() => daemon.StandardError.Contains("Clip 1 of camera kerb sealed as", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => daemon.StandardError, cancellationToken);
        daemon.Signal(Posix.SigTerm);
        var exitCode = await daemon.WaitForExitAsync(cancellationToken);

        var stderr = daemon.StandardError;
        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stderr.IndexOf("Clip 1 of camera kerb sealed as", StringComparison.Ordinal), Is.GreaterThan(refusedAt), "the clip was still open during both reloads: " + stderr);
        Assert.That(stderr, Does.Contain("applied telemetry.log_level Information -> Debug, cameras 'kerb' rules, zones and lines"));
        Assert.That(stderr, Does.Contain("needs a restart to take effect: vault"));
        Assert.That(stderr, Does.Match(@"Reload \(sighup\): \S*edge\.yaml:\d+:\d+ cameras\[0\]\.analysis\.fps: 0 is out of range"));
        Assert.That(stderr, Does.Contain("has 1 error(s); the running configuration stays"));
        Assert.That(daemon.StandardOutput, Does.Match(@"record kerb: [1-9]\d* clips recorded and sealed \(\d+ frames\), 0 abandoned, 0 failed"), daemon.StandardOutput);

        using var vault = env.Open();
        var items = vault.List();
        var recorded = items.Where(i => queued.All(q => q.Id != i.Id)).ToList();
        Assert.That(queued.Select(q => q.Id), Is.SubsetOf(items.Select(i => i.Id)), "every queued item is still there");
        Assert.That(queued.Select(q => q.SealedSha256), Is.SubsetOf(items.Select(i => i.SealedSha256)));
        Assert.That(items.Select(i => i.State), Is.All.EqualTo(EvidenceState.Sealed));
        Assert.That(recorded, Is.Not.Empty, "the clip that was open during the reloads is in the vault");
    }

    [Test]
    public void NeedsRestart_OnlyLiveKeysChanged_Nothing()
    {
        var started = Example();
        var next = started with { Telemetry = started.Telemetry with { LogLevel = Sensen.Edge.Telemetry.LogLevelOption.Debug } };

        Assert.That(RuntimeControl.NeedsRestart(started, next), Is.Empty);
    }

    [Test]
    public void NeedsRestart_CameraAddedVaultAndInterval_NamesEach()
    {
        var started = Example();
        var next = started with
        {
            Cameras = [.. started.Cameras, started.Cameras[0] with { Ingest = started.Cameras[0].Ingest with { Id = "cam-south" } }],
            Vault = started.Vault with { Path = "elsewhere.db" },
            Telemetry = started.Telemetry with { IntervalSeconds = 60 },
        };

        Assert.That(RuntimeControl.NeedsRestart(started, next), Is.EqualTo(new[] { "cameras (added, removed or reordered)", "vault", "telemetry.interval_seconds or log_format" }));
    }

    [Test]
    public void NeedsRestart_StreamSettingsOfACamera_NamesIt()
    {
        var started = Example();
        var camera = started.Cameras[0];
        var next = started with { Cameras = [camera with { Ingest = camera.Ingest with { Url = "rtsp://127.0.0.1:8554/south" } }] };

        Assert.That(RuntimeControl.NeedsRestart(started, next), Is.EqualTo(new[] { "cameras[0] stream settings" }));
    }

    private static EdgeOptions Example()
    {
        using var config = RunnableConfig.FromExample();
        var loaded = ConfigLoader.Load(config.ConfigPath);
        Assert.That(loaded.IsValid, Is.True, string.Join("\n", loaded.Errors));
        return loaded.Config!.Options;
    }
}
