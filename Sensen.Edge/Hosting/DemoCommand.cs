using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Demo;
using Sensen.Edge.Demo.Report;
using Sensen.Edge.Pipeline;
using Sensen.Edge.Receiver;
using Sensen.Edge.Recording;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Hosting;

/// <summary>
/// <c>sensen-edge demo [--out DIR] [--seconds N]</c>: the whole promise on one machine, with no outside service and
/// nothing configured by hand. It composes the street scene from real photographs, serves it over RTSP (or as a
/// file), starts an MQTT 5 broker with mutual TLS and the reference city receiver in this process, provisions a demo
/// unit and city as <c>keys dev-unit</c> does, and runs the daemon's own host (<see cref="EdgeHost"/>) with the
/// uplink on until every clip is sealed, delivered, acknowledged and deleted. Then it prints what happened and
/// writes <c>DIR/report.html</c> from what the receiver decrypted.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Marks a directory the demo made, so that a second run may clear it and no other directory is ever cleared.</summary>
    public const string Marker = ".sensen-demo";

    private const int ProgressEverySeconds = 3;

    /// <summary>
    /// The scene always has this many frames: its length sets the rate (30 s: 2 fps), so the vehicles move as far
    /// between analysed frames as in the 12 s, 5 fps scene the tracking and privacy tests measure, and a longer scene
    /// gives the clip path (about a second a frame on two cores) more time per frame.
    /// </summary>
    internal const int SceneFrames = 60;

    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Where the scene, the unit, the city and report.html go (cleared first if an earlier demo made it).", DefaultValueFactory = _ => "demo-out" };
        var seconds = new Option<double>("--seconds") { Description = "The scene's length (8 to 30); it always has 60 frames, so this sets the analysis rate (30: 2 fps).", DefaultValueFactory = _ => 30 };
        var assets = new Option<string?>("--assets") { Description = "The repository (its .cache/ with the photographs from npm, and models/); default: found above the executable or the current directory." };
        var timeout = new Option<double>("--timeout") { Description = "Give up after this many seconds of the daemon running.", DefaultValueFactory = _ => 240 };
        var camera = new Option<string>("--camera") { Description = "How the scene reaches the daemon: auto (RTSP when GStreamer's RTSP server is installed, else the file), rtsp or file.", DefaultValueFactory = _ => "auto" };
        camera.AcceptOnlyFromAmong("auto", "rtsp", "file");
        var command = new Command("demo", "Run the whole pipeline on a composed street scene: RTSP camera, embedded TLS broker, reference receiver; prints a summary and writes report.html.")
        {
            outDir, seconds, assets, timeout, camera,
        };
        command.SetAction((r, cancellationToken) => RunAsync(
            new DemoSettings(r.GetValue(outDir)!, r.GetValue(seconds), r.GetValue(assets), r.GetValue(timeout), r.GetValue(camera)!), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(DemoSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (settings.TimeoutSeconds <= 0)
        {
            await stderr.WriteLineAsync("sensen-edge demo: --timeout must be positive");
            return ExitCodes.Usage;
        }

        if (DemoAssets.Find(settings.Assets) is not { } repository)
        {
            await stderr.WriteLineAsync($"sensen-edge demo: the demo's photographs are missing: no {DemoAssets.FaceApiDemo} above {AppContext.BaseDirectory} or {Environment.CurrentDirectory} (run ./build.sh, or give --assets REPOSITORY)");
            return ExitCodes.NoInput;
        }

        if (settings.SceneSeconds is < 8 or > 30)
        {
            // 60 frames: past 30 s the rate would fall below the 2 fps a scene may have.
            await stderr.WriteLineAsync("sensen-edge demo: --seconds must be 8 to 30");
            return ExitCodes.Usage;
        }

        var spec = new SceneSpec { Fps = Math.Round(SceneFrames / settings.SceneSeconds, 3), Seconds = settings.SceneSeconds, FaceApiDemo = Path.Combine(repository, DemoAssets.FaceApiDemo) };
        if (spec.Problems() is { Count: > 0 } problems)
        {
            await stderr.WriteLineAsync("sensen-edge demo: " + string.Join("; ", problems));
            return problems.Any(p => p.Contains("is missing", StringComparison.Ordinal)) ? ExitCodes.NoInput : ExitCodes.Usage;
        }

        var root = Path.GetFullPath(settings.OutDirectory);
        if (PrepareDirectory(root) is { } refusal)
        {
            await stderr.WriteLineAsync("sensen-edge demo: " + refusal);
            return ExitCodes.CannotCreate;
        }

        try
        {
            return await RunInAsync(spec, repository, root, settings, clock, stdout, stderr, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stdout.WriteLineAsync("demo: interrupted; everything it started is stopped");
            return ExitCodes.Failure;
        }
        catch (SceneException e)
        {
            await stderr.WriteLineAsync("sensen-edge demo: " + e.Message);
            return ExitCodes.Software;
        }
        catch (Exception e) when (e is UplinkException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            // A key or certificate the demo itself wrote, or its directory: the messages name files, never key bytes.
            await stderr.WriteLineAsync("sensen-edge demo: " + e.Message);
            return ExitCodes.IoError;
        }
    }

    private static async Task<int> RunInAsync(SceneSpec spec, string repository, string root, DemoSettings settings, Stopwatch clock, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync(string.Create(c, $"demo: composing the street scene from real photographs ({spec.Width}x{spec.Height}, {spec.Fps} fps, {spec.Seconds} s)"));
        var scene = await SceneComposer.ComposeAsync(spec, Path.Combine(root, "scene"), cancellationToken);
        var truth = scene.GroundTruth;
        await stdout.WriteLineAsync(string.Create(c, $"demo: scene {Relative(scene.ClipPath)} in {clock.Elapsed.TotalSeconds:F1} s; it holds {truth.Violations.Count} violations: {string.Join(", ", truth.Violations.Select(v => $"{v.RuleId} ({v.ObjectId})"))}"));

        await using var camera = await DemoCamera.StartAsync(scene.ClipPath, spec.Fps, Path.Combine(root, "scene"), spec.FfmpegPath, settings.Camera, cancellationToken);
        await stdout.WriteLineAsync($"demo: camera: {camera.Description}");

        var port = DemoBroker.FreeLoopbackPort();
        var brokerUrl = new Uri(string.Create(c, $"mqtts://localhost:{port}"));
        var unit = DemoProvisioning.Provision(root, scene.ConfigYaml, camera.Url, brokerUrl, Path.Combine(repository, "models"), spec.Seconds);
        await stdout.WriteLineAsync($"demo: provisioned unit '{DemoProvisioning.DeviceId}' ({Relative(unit.UnitDirectory)}, as keys dev-unit does) and the city ({Relative(unit.CityDirectory)})");

        using var brokerCertificate = UplinkCredentials.LoadClientCertificate(unit.BrokerCertificateFile, "broker certificate", await File.ReadAllTextAsync(unit.BrokerKeyFile, cancellationToken), "broker key");
        var trust = UplinkCredentials.LoadTrustRoots(unit.CaFile, "ca_file");
        await using var broker = await DemoBroker.StartAsync(brokerCertificate, trust[0], port, cancellationToken);
        var telemetry = UplinkProtocol.DeviceTopic(DemoProvisioning.TopicPrefix, DemoProvisioning.DeviceId, "telemetry");
        broker.Watch(telemetry);
        await stdout.WriteLineAsync($"demo: MQTT 5 broker (MQTTnet.Server, in this process) on {broker}: TLS only, client certificates from the demo CA required");

        using var log = new DemoLogFile(Path.Combine(root, "daemon.log"));
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Information));
        using var cityKey = ECDiffieHellman.Create();
        cityKey.ImportFromPem(await File.ReadAllTextAsync(unit.CityPrivateFile, cancellationToken));
        using var ackKey = ECDsa.Create();
        ackKey.ImportFromPem(await File.ReadAllTextAsync(unit.CityAckFile, cancellationToken));
        var defaults = new ReceiverOptions();
        var store = new ReceiverStore(unit.ReceivedDirectory, unit.DevicesDirectory, new EvidenceOpener(cityKey), defaults.MaxChunkBytes, defaults.MaxItemMegabytes * 1024L * 1024L);
        var endpoint = new MqttEndpoint
        {
            Broker = broker.Url,
            ClientId = "demo-city-receiver",
            TrustRoots = trust,
            ClientCertificate = UplinkCredentials.LoadClientCertificate(unit.ReceiverCertificateFile, "receiver certificate", await File.ReadAllTextAsync(unit.ReceiverKeyFile, cancellationToken), "receiver key"),
            BackoffBase = TimeSpan.FromMilliseconds(250),
            BackoffMax = TimeSpan.FromSeconds(2),
        };
        using var receiverStop = new CancellationTokenSource();
        var receiver = new CityReceiver(endpoint, store, new AckSigner(ackKey), DemoProvisioning.TopicPrefix, shareGroup: null, TimeProvider.System, loggers.CreateLogger("Sensen.Edge.Receiver"));
        Task? receiverRun = null;
        try
        {
            receiverRun = Task.Run(() => receiver.RunAsync(receiverStop.Token), CancellationToken.None);
            await WaitAsync(() => receiver.IsConnected, TimeSpan.FromSeconds(15), cancellationToken);
            if (!receiver.IsConnected)
            {
                throw new SceneException($"the reference receiver did not connect to {broker.Url} within 15 s (see {Relative(log.Path)})");
            }

            await stdout.WriteLineAsync("demo: reference city receiver (in this process) connected and subscribed");
            return await RunDaemonAsync(spec, truth, unit, root, settings, camera, broker, store, telemetry, log, clock, stdout, stderr, cancellationToken);
        }
        finally
        {
            await receiverStop.CancelAsync();
            if (receiverRun is not null)
            {
                await receiverRun;
            }

            await receiver.DisposeAsync();
        }
    }

    private static async Task<int> RunDaemonAsync(SceneSpec spec, SceneGroundTruth truth, DemoUnit unit, string root, DemoSettings settings, DemoCamera camera, DemoBroker broker,
        ReceiverStore store, string telemetryTopic, DemoLogFile log, Stopwatch clock, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var loaded = ConfigLoader.Load(unit.ConfigPath);
        if (!loaded.IsValid)
        {
            await stderr.WriteLineAsync($"sensen-edge demo: the generated configuration {unit.ConfigPath} is not valid:");
            return CheckConfigCommand.Report(loaded, stderr);
        }

        using var counters = new DemoCounters();
        var frames = new DemoFrames();
        var startup = new StartupGate();
        using var host = EdgeHost.Build(loaded.Config!, startup, extend: services =>
        {
            services.RemoveAll<ILoggerProvider>();
            services.AddSingleton<ILoggerProvider>(log);
            services.AddSingleton<IFrameObserver>(frames);
        });
        var daemonClock = Stopwatch.StartNew();
        try
        {
            await host.StartAsync(cancellationToken);
            startup.Open();
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C while the stages start: those already started are stopped before the host is disposed.
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
            throw;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync("sensen-edge demo: the daemon did not start: " + StartupFailure.Describe(e));
            return StartupFailure.ExitCodeOf(e) ?? ExitCodes.Software;
        }

        await stdout.WriteLineAsync($"demo: daemon running on {Relative(unit.ConfigPath)} with the uplink on (its log: {Relative(log.Path)}); waiting for every clip to be sealed, delivered, acknowledged and deleted");
        var recorders = host.Services.GetService<Recorders>();
        var recording = host.Services.GetServices<IHostedService>().OfType<RecordingStage>().SingleOrDefault();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var expectedRules = truth.Violations.Select(v => v.RuleId).Distinct(StringComparer.Ordinal).ToList();
        // The live path must have passed the last decision by the post-roll and the clip path's look-ahead before the clips are all open.
        var settled = truth.Violations.Max(v => v.DecidedSeconds) + loaded.Config!.Options.Recording.PostRollSeconds + 2;
        var sceneEnd = truth.Frames[^1].Seconds;
        var deadline = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        var nextProgress = daemonClock.Elapsed;
        TimeSpan? overSince = null;
        string? outcome = null;
        var missing = new List<string>();
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                // Scene time: the stream's own clock less the lead-in (frames dropped before detection leave no gap in it).
                var played = frames.LastPts.TotalSeconds - camera.LeadInSeconds;
                var open = recorders?.All.Sum(r => r.OpenClips) ?? 0;
                // A closed clip is still being anonymised, encoded and sealed until its writer ends.
                var writing = recording?.Writing ?? 0;
                var sealedClips = counters.ClipsSealed;
                var violations = counters.Violations;
                var rulesMissing = expectedRules.Where(r => !violations.ContainsKey(r)).ToList();
                var allDone = open == 0 && writing == 0 && counters.DeletedAfterAck >= sealedClips && counters.Acknowledged >= sealedClips && store.StoredCount >= sealedClips;
                if (daemonClock.Elapsed >= nextProgress)
                {
                    nextProgress = daemonClock.Elapsed + TimeSpan.FromSeconds(ProgressEverySeconds);
                    await stdout.WriteLineAsync(string.Create(c,
                        $"demo: {daemonClock.Elapsed.TotalSeconds,4:F0} s  scene {Math.Clamp(played, 0, sceneEnd),4:F1} s  frames analysed {counters.FramesAnalysed,3}  violations {violations.Values.Sum()}  clips: {Math.Max(open, writing)} in the clip path, {sealedClips} sealed, {store.StoredCount} delivered, {counters.Acknowledged} acknowledged, {counters.DeletedAfterAck} deleted"));
                }

                // Switched off only once no clip waits for frames: a clip closes on the first frame after its window.
                var over = played >= sceneEnd - 0.5 && open == 0;
                if (over && overSince is null)
                {
                    overSince = daemonClock.Elapsed;
                    await camera.SwitchOffAsync();
                    await stdout.WriteLineAsync("demo: the scene has played; the camera is switched off");
                }

                if (played >= settled && allDone && sealedClips > 0 && rulesMissing.Count == 0)
                {
                    outcome = "every clip was sealed, delivered, acknowledged and deleted";
                    break;
                }

                // Nothing more can come once the scene is over and every clip is through; a clip just closed is sealed
                // a moment later, so this must hold for a while.
                if (overSince is { } since && daemonClock.Elapsed - since > TimeSpan.FromSeconds(10) && allDone && rulesMissing.Count > 0)
                {
                    missing.AddRange(rulesMissing.Select(r => $"rule {r} never fired"));
                    outcome = "the scene ended with violations not caught";
                    break;
                }

                if (lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    outcome = "the daemon stopped by itself";
                    missing.Add($"a stage failed; see {Relative(log.Path)}");
                    break;
                }

                if (daemonClock.Elapsed >= deadline)
                {
                    outcome = string.Create(c, $"timed out after {settings.TimeoutSeconds} s");
                    missing.AddRange(rulesMissing.Select(r => $"rule {r} never fired"));
                    if (Math.Max(open, writing) > 0)
                    {
                        missing.Add($"{Math.Max(open, writing)} clip(s) still in the clip path");
                    }

                    if (store.StoredCount < sealedClips)
                    {
                        missing.Add($"{sealedClips - store.StoredCount} sealed clip(s) not delivered");
                    }

                    if (counters.Acknowledged < sealedClips || counters.DeletedAfterAck < sealedClips)
                    {
                        missing.Add($"{sealedClips - Math.Min(counters.Acknowledged, counters.DeletedAfterAck)} clip(s) not acknowledged and deleted");
                    }

                    if (sealedClips == 0)
                    {
                        missing.Add("no clip was sealed");
                    }

                    break;
                }
            }
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
        }

        var daemonSeconds = daemonClock.Elapsed.TotalSeconds;
        foreach (var line in host.Services.GetRequiredService<PipelineStatus>().Lines())
        {
            log.Note(line);
        }

        var failed = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask is { IsFaulted: true });
        if (failed && missing.Count == 0)
        {
            missing.Add($"a stage failed; see {Relative(log.Path)}");
        }

        // The unit's last telemetry message before it stopped: what the city's operators saw at the end.
        var telemetryJson = broker.Latest(telemetryTopic) is { } payload ? Indented(payload) : null;

        var counts = counters.Violations;
        var summary = new List<KeyValuePair<string, string>>
        {
            new("camera", camera.Description),
            new("frames analysed", string.Create(c, $"{counters.FramesAnalysed} ({counters.FramesNotAnalysed} reached the end unanalysed, {counters.FramesDropped} dropped before detection)")),
            new("faces obscured", string.Create(c, $"{counters.FacesObscured} (faces and head regions, counted on every clip frame they were obscured on)")),
            new("plates obscured", string.Create(c, $"{counters.PlatesObscured} (bystanders' plates, per clip frame)")),
            new("frames masked whole", string.Create(c, $"{counters.FramesMaskedWhole}")),
            new("violations", string.Join(", ", expectedRules.Concat(counts.Keys).Distinct(StringComparer.Ordinal).Select(r => string.Create(c, $"{r} {counts.GetValueOrDefault(r)}")))),
            new("clips sealed", string.Create(c, $"{counters.ClipsSealed}{(counters.ClipsFailed > 0 ? $" ({counters.ClipsFailed} failed or abandoned)" : "")}")),
            new("clips delivered", string.Create(c, $"{store.StoredCount} (reassembled, verified and decrypted by the receiver)")),
            new("clips acknowledged", string.Create(c, $"{counters.Acknowledged} (signed acks verified by the unit)")),
            new("clips deleted", string.Create(c, $"{counters.DeletedAfterAck} (from the vault, after the ack)")),
            new("time taken", string.Create(c, $"{clock.Elapsed.TotalSeconds:F1} s (daemon {daemonSeconds:F1} s)")),
        };
        await stdout.WriteLineAsync($"demo: {outcome}");
        foreach (var (label, value) in summary)
        {
            await stdout.WriteLineAsync($"  {label}: {value}");
        }

        var report = await DemoReport.WriteAsync(new DemoReportInput
        {
            ReceiverOutputDirectory = unit.ReceivedDirectory,
            Summary = summary,
            TelemetrySnapshotJson = telemetryJson,
            Frames = frames.Snapshot(),
            Expected = truth.Violations,
            FfmpegPath = spec.FfmpegPath,
        }, root, CancellationToken.None);
        await stdout.WriteLineAsync($"demo: report {report}");
        if (missing.Count > 0)
        {
            await stderr.WriteLineAsync("sensen-edge demo: not complete: " + string.Join("; ", missing));
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }

    /// <summary>Null when <paramref name="root"/> is ready (absent, empty, or an earlier demo's, now cleared); else why not.</summary>
    internal static string? PrepareDirectory(string root)
    {
        if (File.Exists(root))
        {
            return $"{root} is a file";
        }

        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!File.Exists(Path.Combine(root, Marker)))
            {
                return $"{root} is not empty and no earlier demo made it; give another --out";
            }

            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, Marker), "Made by sensen-edge demo; the next run clears this directory.\n");
        return null;
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = Stopwatch.StartNew();
        while (!condition() && until.Elapsed < timeout)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private static string Indented(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(json);
        }
    }

    /// <summary>Relative to the current directory when below it (demo-out/...), else absolute.</summary>
    private static string Relative(string path) =>
        Path.GetRelativePath(Environment.CurrentDirectory, path) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) ? relative : path;
}
