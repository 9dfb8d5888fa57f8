using Sensen.Edge.Configuration;
using Sensen.Edge.Hosting;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Hosting;

/// <summary>Reload on SIGHUP in the real daemon, with evidence queued in its vault.</summary>
internal sealed class ReloadTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Sighup_ValidThenInvalidFile_AppliesThenRefusesAndLosesNothing(CancellationToken cancellationToken)
    {
        using var env = new VaultTestEnvironment();
        var queued = new List<EvidenceRecord>();
        for (var i = 0; i < 3; i++)
        {
            queued.Add(await env.SealInClosedVaultAsync(4000 + i, cancellationToken, seed: i + 1));
        }

        var config = env.WriteConfig();
        var original = await File.ReadAllTextAsync(config, cancellationToken);
        using var notify = new NotifySocket();
        using var daemon = DaemonProcess.Start(["run", "--config", config], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1", cancellationToken);

        // Valid: a live change (log level, a rule's dwell) and one that needs a restart (retention).
        await File.WriteAllTextAsync(config, original
            .Replace("log_level: information", "log_level: debug", StringComparison.Ordinal)
            .Replace("retention_days: 30", "retention_days: 31", StringComparison.Ordinal), cancellationToken);
        daemon.Signal(Posix.SigHup);
        await Eventually.AssertAsync(() => daemon.StandardError.Contains("Reloaded (sighup)", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => daemon.StandardError, cancellationToken);

        // Invalid: refused with its positioned error; the daemon keeps running on the old configuration.
        await File.WriteAllTextAsync(config, original.Replace("fps: 10", "fps: 0", StringComparison.Ordinal), cancellationToken);
        daemon.Signal(Posix.SigHup);
        await Eventually.AssertAsync(() => daemon.StandardError.Contains("Reload (sighup) refused", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => daemon.StandardError, cancellationToken);

        daemon.Signal(Posix.SigTerm);
        var exitCode = await daemon.WaitForExitAsync(cancellationToken);

        var stderr = daemon.StandardError;
        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stderr, Does.Contain("applied telemetry.log_level Information -> Debug"));
        Assert.That(stderr, Does.Contain("needs a restart to take effect: vault"));
        Assert.That(stderr, Does.Match(@"Reload \(sighup\): \S*edge\.yaml:\d+:\d+ cameras\[0\]\.analysis\.fps: 0 is out of range"));
        Assert.That(stderr, Does.Contain("has 1 error(s); the running configuration stays"));

        using var vault = env.Open();
        var items = vault.List();
        Assert.That(items.Select(i => i.Id), Is.EquivalentTo(queued.Select(q => q.Id)), "every queued item is still there");
        Assert.That(items.Select(i => i.SealedSha256), Is.EquivalentTo(queued.Select(q => q.SealedSha256)));
        Assert.That(items.Select(i => i.State), Is.All.EqualTo(EvidenceState.Sealed));
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

        Assert.That(RuntimeControl.NeedsRestart(started, next), Is.EqualTo(new[] { "cameras (added, removed or reordered)", "vault", "telemetry (except log_level)" }));
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
