using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Recording;

/// <summary>
/// The whole daemon with recording, once for the fixture (seconds, not minutes): a replayed clip of three people
/// (face-api's sample1) through real ffmpeg and the real CenterNet model, a bus-lane zone over the whole frame for
/// <c>person</c>, so the rule fires; the clip is anonymised (the masking floor until Privacy's clip path is
/// registered), encoded by a real ffmpeg child into memory and sealed into the real vault. Then the city's side:
/// <c>queue export</c>, <c>evidence open</c> with the city key, and the MP4 decoded. The daemon ran with a fresh
/// TMPDIR and working directory; afterwards they are empty and the state directory holds only the vault's files.
/// </summary>
[NonParallelizable]
internal sealed class RecordingEndToEndTests
{
    private const double Fps = 5;

    private RunnableConfig _config = null!;
    private string _tmp = null!;
    private string _cwd = null!;
    private string _cityPrivate = null!;
    private string _devicePublic = null!;
    private (int ExitCode, string Stdout, string Stderr) _run;
    private string[] _stateBefore = [];

    [OneTimeSetUp]
    public async Task RunTheDaemonOnce()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clip = await TestClips.FacesMp4Async(cancel.Token);
        _config = RunnableConfig.FromExample();
        _config.WriteCredential("cam-north", "user:password");
        _tmp = Directory.CreateTempSubdirectory("sensen-rec-tmp-").FullName;
        _cwd = Directory.CreateTempSubdirectory("sensen-rec-cwd-").FullName;

        // The city's key pair, with the private half kept for 'evidence open'; the device's public key from its credential.
        using (var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(Path.Combine(_config.Directory, "city-public.pem"), city.ExportSubjectPublicKeyInfoPem(), cancel.Token);
            _cityPrivate = Path.Combine(_config.Directory, "city-private.pem");
            await File.WriteAllTextAsync(_cityPrivate, city.ExportPkcs8PrivateKeyPem(), cancel.Token);
        }

        using (var device = ECDsa.Create())
        {
            device.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(_config.CredentialsDirectory, "device-key"), cancel.Token));
            _devicePublic = Path.Combine(_config.Directory, "device-public.pem");
            await File.WriteAllTextAsync(_devicePublic, device.ExportSubjectPublicKeyInfoPem(), cancel.Token);
        }

        await File.WriteAllTextAsync(_config.ConfigPath, $$"""
            device:
              id: unit-rec
              state_directory: {{_config.StateDirectory}}
              credentials_directory: {{_config.CredentialsDirectory}}
              time_zone: UTC
            cameras:
              - id: kerb
                url: file://{{clip}}
                loop: true
                credential: cam-north
                analysis: {fps: {{Fps.ToString(CultureInfo.InvariantCulture)}}, width: 640, height: 360}
                zones:
                  - {id: everywhere, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]]}
                rules:
                  - {id: people-in-lane, type: bus_lane, zone: everywhere, classes: [person], dwell_seconds: 1}
            inference:
              providers: [cpu]
              models_directory: {{RepoPaths.Models}}
            detectors:
              - {id: objects, model: centernet}
              - {id: faces, model: blazeface, crops_of: [person], crop_height: 0.5}
              - {id: plates, model: ppocr-v4-det, crops_of: [vehicle]}
            privacy:
              face_detector: faces
              plate_detector: plates
            recording:
              pre_roll_seconds: 1
              post_roll_seconds: 1
              max_clip_seconds: 10
              encoder: libx264
            vault:
              city_public_key: {{Path.Combine(_config.Directory, "city-public.pem")}}
              city_ack_public_key: {{Path.Combine(_config.Directory, "city-ack-public.pem")}}
            uplink:
              enabled: false
            """, cancel.Token);
        _stateBefore = Entries(_config.StateDirectory);
        _run = await DaemonProcess.RunAsync(["run", "--config", _config.ConfigPath, "--stop-after", "14"], cancel.Token, new Dictionary<string, string?> { ["TMPDIR"] = _tmp }, _cwd);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _config?.Dispose();
        foreach (var d in new[] { _tmp, _cwd })
        {
            if (d is not null && Directory.Exists(d))
            {
                Directory.Delete(d, recursive: true);
            }
        }
    }

    [Test]
    public void Run_RuleFires_ClipSealedAndTheStatusSaysSo()
    {
        Assert.That(_run.ExitCode, Is.Zero, _run.Stderr);
        Assert.That(_run.Stdout, Does.Match(@"record kerb: [1-9]\d* clips recorded and sealed \(\d+ frames\), 0 abandoned, 0 failed; 0 open"), _run.Stdout + _run.Stderr);
        Assert.That(_run.Stdout, Does.Contain("encoder libx264"));
        Assert.That(_run.Stdout, Does.Match(@"pipeline: 0 of \d+ frame buffers and 0 detection lists in use"), "the ring and every clip gave their frames back");
        Assert.That(_run.Stderr + _run.Stdout, Does.Contain("sealed as "));
    }

    [Test]
    public void Run_WithRecording_WritesNoFileOutsideTheVault()
    {
        // One known exception, not ours: ONNX Runtime's bundled telemetry SDK (1DS) writes a session file '.ses' (a
        // launch time and a random id, nothing of any frame) into TMPDIR when its environment is created, even with
        // telemetry events disabled. The unit runs with PrivateTmp=yes (systemd/), so it lands in a private, discarded /tmp.
        var tmp = Entries(_tmp).Where(f => f != ".ses").ToList();
        Assert.That(tmp, Is.Empty, "TMPDIR");
        if (File.Exists(Path.Combine(_tmp, ".ses")))
        {
            var lines = File.ReadAllLines(Path.Combine(_tmp, ".ses"));
            Assert.That(new FileInfo(Path.Combine(_tmp, ".ses")).Length, Is.LessThan(128));
            Assert.That(lines.Length >= 2 && long.TryParse(lines[0], out _) && Guid.TryParse(lines[1], out _), Is.True, "ONNX Runtime's session file: a number and a UUID");
        }

        Assert.That(Entries(_cwd), Is.Empty, "working directory");
        var vaultFiles = Entries(_config.StateDirectory).Except(_stateBefore).ToList();
        Assert.That(vaultFiles, Is.Not.Empty);
        Assert.That(vaultFiles.Where(f => !IsVaultFile(f)), Is.Empty, "state directory: " + string.Join(", ", vaultFiles));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task ExportThenOpen_WithTheCityKey_GivesTheClipAnMp4OfItsStatedLength(CancellationToken cancellationToken)
    {
        Assume.That(_run.ExitCode, Is.Zero, _run.Stderr);
        var (listCode, list, listErr) = await DaemonProcess.RunAsync(["queue", "list", "--json", "--config", _config.ConfigPath], cancellationToken);
        Assert.That(listCode, Is.Zero, listErr);
        var id = JsonDocument.Parse(list).RootElement[0].GetProperty("id").GetString()!;

        var package = Path.Combine(_config.Directory, "export.pkg");
        var (exportCode, exportOut, exportErr) = await DaemonProcess.RunAsync(["queue", "export", id, "--out", package, "--config", _config.ConfigPath], cancellationToken);
        Assert.That(exportCode, Is.Zero, exportErr);
        Assert.That(exportOut, Does.Contain("written to"));
        Assert.That(File.ReadAllBytes(package).AsSpan(0, 17).ToArray(), Is.EqualTo("SENSEN-PACKAGE/1\n"u8.ToArray()));

        var opened = Path.Combine(_config.Directory, "opened");
        var (openCode, openOut, openErr) = await DaemonProcess.RunAsync(["evidence", "open", "--city-key", _cityPrivate, "--device-key", _devicePublic, "--in", package, "--out", opened], cancellationToken);
        Assert.That(openCode, Is.Zero, openErr);
        Assert.That(openOut, Does.Contain("verified"));
        Assert.That(Entries(opened), Is.EquivalentTo(new[] { "clip.mp4", "manifest.json", "manifest.sig" }));

        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(opened, "manifest.json")));
        var root = manifest.RootElement;
        Assert.That(root.GetProperty("format").GetString(), Is.EqualTo("sensen-evidence/4"));
        Assert.That(root.GetProperty("rule_type").GetString(), Is.EqualTo("bus_lane"));
        var events = root.GetProperty("events");
        Assert.That(events.GetArrayLength(), Is.GreaterThanOrEqualTo(1));
        Assert.That(events[0].GetProperty("class").GetString(), Is.EqualTo("person"));
        Assert.That(events[0].GetProperty("dwell_milliseconds").GetInt64(), Is.GreaterThanOrEqualTo(1000));
        Assert.That(root.GetProperty("offenders").GetArrayLength(), Is.GreaterThanOrEqualTo(1));
        // The real clip path ran (privacy's ClipAnonymiser, registered by the host), not the mask-everything floor; the
        // look-ahead frames after the window mean the clip's own last frames are anonymised, not blanked.
        var anonymisation = root.GetProperty("anonymisation");
        Assert.That(anonymisation.GetProperty("method").GetString(), Is.EqualTo("fill"));
        Assert.That(anonymisation.GetProperty("frames_masked_whole").GetInt32(), Is.LessThan(anonymisation.GetProperty("frames").GetInt32()), anonymisation.ToString());
        Assert.That(anonymisation.GetProperty("masked_whole_reasons").TryGetProperty("look_ahead_cut", out _), Is.False, anonymisation.ToString());
        Assert.That(root.GetProperty("model_sha256").TryGetProperty("centernet", out _), Is.True);
        var video = root.GetProperty("video");
        var frames = video.GetProperty("frames").GetInt32();
        Assert.That(video.GetProperty("encoder").GetString(), Is.EqualTo("libx264"));
        Assert.That(frames, Is.InRange(5, 50), "about pre-roll + post-roll at 5 fps");

        // The MP4 itself: ffprobe counts its frames and states its length, which must be frames / fps.
        var (probeCode, probe, probeErr) = await Ffprobe(Path.Combine(opened, "clip.mp4"), cancellationToken);
        Assert.That(probeCode, Is.Zero, probeErr);
        var fields = probe.Trim().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var counted = int.Parse(fields.First(l => l.StartsWith("nb_read_frames=", StringComparison.Ordinal))["nb_read_frames=".Length..], CultureInfo.InvariantCulture);
        var duration = double.Parse(fields.First(l => l.StartsWith("duration=", StringComparison.Ordinal))["duration=".Length..], CultureInfo.InvariantCulture);
        Assert.That(counted, Is.EqualTo(frames));
        Assert.That(duration, Is.EqualTo(frames / Fps).Within(0.25), probe);
        Assert.That(duration, Is.InRange(1.0, 10.0), "pre-roll (1 s, as the ring holds it) + post-roll (1 s), within max_clip_seconds");
    }

    private static bool IsVaultFile(string name) =>
        name is "vault.db" or "vault-log.db" or "vault-log.db.commit" or "audit.log" or "vault-keys";

    private static string[] Entries(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];

    private static async Task<(int, string, string)> Ffprobe(string path, CancellationToken cancellationToken)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames:format=duration", "-of", "default=noprint_wrappers=1", path })
        {
            start.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
