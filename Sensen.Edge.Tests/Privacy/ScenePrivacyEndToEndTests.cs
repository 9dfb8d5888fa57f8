using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Sensen.Edge.Demo;
using Sensen.Edge.Tests.Demo;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Privacy;

/// <summary>
/// Issue #12's decisive test. The composed street scene (real photographs, exact per-frame ground truth of every face
/// and plate) runs through the whole daemon with its generated configuration: live path, rules, recording, the real
/// clip path (face and plate models on every clip frame), the encoder and the vault. Then the city's side: <c>queue
/// export</c>, <c>evidence open</c> with the city key, every frame of <c>clip.mp4</c> decoded. Each decoded frame is
/// matched to its scene frame by content (the scene frame with the least difference, strictly increasing), and at
/// every ground-truth face and bystander plate the original detail must be gone (|r| &lt; 0.3 with the scene's own
/// patch), while the first offender's plate still matches it (r &gt; 0.9).
/// </summary>
[NonParallelizable]
internal sealed class ScenePrivacyEndToEndTests
{
    private const double GoneBelow = 0.3;
    private const double KeptAbove = 0.9;

    [Test]
    [CancelAfter(170_000)]
    public async Task Scene_ThroughTheDaemon_EveryFaceAndBystanderPlateIsGoneAndTheOffendersPlateStays(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var spec = TestScenes.Street with { Fps = 5 };
        var scene = await TestScenes.ComposeAsync(spec, cancellationToken);
        var truth = scene.GroundTruth;
        using var config = RunnableConfig.FromExample();
        string cityPrivate, devicePublic;
        using (var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(Path.Combine(config.Directory, "city-public.pem"), city.ExportSubjectPublicKeyInfoPem(), cancellationToken);
            cityPrivate = Path.Combine(config.Directory, "city-private.pem");
            await File.WriteAllTextAsync(cityPrivate, city.ExportPkcs8PrivateKeyPem(), cancellationToken);
        }

        using (var device = ECDsa.Create())
        {
            device.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(config.CredentialsDirectory, "device-key"), cancellationToken));
            devicePublic = Path.Combine(config.Directory, "device-public.pem");
            await File.WriteAllTextAsync(devicePublic, device.ExportSubjectPublicKeyInfoPem(), cancellationToken);
        }

        await File.WriteAllTextAsync(config.ConfigPath, DaemonYaml(scene, config), cancellationToken);
        var run = await DaemonProcess.RunAsync(["run", "--config", config.ConfigPath, "--stop-after", "34"], cancellationToken);
        var ran = clock.Elapsed;
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(run.Stdout, Does.Match(@"clips recorded and sealed"), run.Stdout + run.Stderr);

        var (listCode, list, listErr) = await DaemonProcess.RunAsync(["queue", "list", "--json", "--config", config.ConfigPath], cancellationToken);
        Assert.That(listCode, Is.Zero, listErr);
        var ids = JsonDocument.Parse(list).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.That(ids, Is.Not.Empty, run.Stdout + run.Stderr);

        var sceneFrames = await DecodeAllAsync(scene.ClipPath, truth.Width, truth.Height, cancellationToken);
        Assert.That(sceneFrames, Has.Count.EqualTo(truth.Frames.Count));
        var tally = new Tally();
        var report = new List<string>();
        foreach (var id in ids)
        {
            var package = Path.Combine(config.Directory, $"{id}.pkg");
            var (exportCode, _, exportErr) = await DaemonProcess.RunAsync(["queue", "export", id, "--out", package, "--config", config.ConfigPath], cancellationToken);
            Assert.That(exportCode, Is.Zero, exportErr);
            var opened = Path.Combine(config.Directory, $"opened-{id}");
            var (openCode, _, openErr) = await DaemonProcess.RunAsync(["evidence", "open", "--city-key", cityPrivate, "--device-key", devicePublic, "--in", package, "--out", opened], cancellationToken);
            Assert.That(openCode, Is.Zero, openErr);
            using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(opened, "manifest.json"), cancellationToken));
            var root = manifest.RootElement;
            var clipFrames = await DecodeAllAsync(Path.Combine(opened, "clip.mp4"), truth.Width, truth.Height, cancellationToken);
            Assert.That(clipFrames, Has.Count.EqualTo(root.GetProperty("video").GetProperty("frames").GetInt32()));

            // The clip's first event's offender keeps its plate on every frame (it is a subject from the clip's first
            // frame); offenders of events merged later are subjects only from their merge on (earlier frames keep their
            // plate obscured, by design), so they are neither asserted kept nor counted as bystanders.
            var firstRule = root.GetProperty("rule_id").GetString()!;
            var firstOffenders = truth.Violations.Where(v => v.RuleId == firstRule).Select(v => v.ObjectId).ToHashSet();
            var offenders = truth.Objects.Where(o => o.Role == SceneRole.Offender).Select(o => o.Id).ToHashSet();
            var map = MapToScene(clipFrames, sceneFrames, truth.Width, truth.Height);
            var masked = map.Count(m => m < 0);
            tally.MaskedWhole += masked;
            for (var i = 0; i < clipFrames.Count; i++)
            {
                if (map[i] < 0)
                {
                    continue;
                }

                var frame = truth.Frames[map[i]];
                foreach (var o in frame.Objects)
                {
                    if (o.Face is { } face && Measurable(face))
                    {
                        tally.Face(Correlate(clipFrames[i], sceneFrames[map[i]], truth.Width, face), $"{id} frame {i} (scene {map[i]}) face of {o.ObjectId} {face}");
                    }

                    if (o.Plate is { } plate && Measurable(plate))
                    {
                        var r = Correlate(clipFrames[i], sceneFrames[map[i]], truth.Width, plate);
                        if (firstOffenders.Contains(o.ObjectId))
                        {
                            tally.Offender(r, o.ObjectId, $"{id} frame {i} (scene {map[i]}) plate of {o.ObjectId} {plate}");
                        }
                        else if (!offenders.Contains(o.ObjectId))
                        {

                            var text = Inset(plate);
                            tally.Bystander(r, Correlate(clipFrames[i], sceneFrames[map[i]], truth.Width, text), $"{id} frame {i} (scene {map[i]}) plate of {o.ObjectId} {plate}");
                        }
                    }
                }
            }

            var read = root.TryGetProperty("plate", out var p) && p.ValueKind == JsonValueKind.Object ? p.GetProperty("text").GetString() : null;
            if (read is not null)
            {
                // Read on offenders only: whatever it reads must be (part of) an offender's plate, never a bystander's.
                var offenderPlates = truth.Objects.Where(o => o.Role == SceneRole.Offender && o.PlateText is not null).Select(o => o.PlateText!.Replace(" ", "", StringComparison.Ordinal));
                Assert.That(read.Length >= 4 && offenderPlates.Any(t => t.Contains(read, StringComparison.Ordinal)), Is.True, $"clip {id} read '{read}'");
                tally.Reads.Add(read);
            }

            report.Add(FormattableString.Invariant($"clip {id}: rule {firstRule}, {clipFrames.Count} frames = scene {string.Join(',', map)} (-1: masked whole), plate read '{read ?? "(none)"}', stream_health {root.GetProperty("stream_health")}, anonymisation {root.GetProperty("anonymisation")}"));
        }

        TestContext.Out.WriteLine(run.Stdout);
        TestContext.Out.WriteLine(string.Join('\n', report));
        TestContext.Out.WriteLine(tally.Summary());
        TestContext.Out.WriteLine(FormattableString.Invariant($"daemon run {ran.TotalSeconds:F1} s (incl. compose), total {clock.Elapsed.TotalSeconds:F1} s"));
        Assert.That(tally.Faces + tally.Plates, Is.GreaterThan(20), "the clips show faces and bystander plates to measure");
        Assert.That(tally.Leaks, Is.Empty, "privacy recall below 100 %: " + string.Join("; ", tally.Leaks.Take(10)));
        Assert.That(tally.Kept, Is.GreaterThan(3), "the offender's plate is on the clip's frames");
        Assert.That(tally.Lost, Is.Empty, "offender's plate obscured: " + string.Join("; ", tally.Lost.Take(10)));
    }

    /// <summary>
    /// A plate's lettering: its box less its rim and black border (12 % of the width, 20 % of the height on each side).
    /// The whole box is measured and reported too; a sliver of border left beside a fill carries no character of the plate.
    /// </summary>
    private static PixelBox Inset(PixelBox plate)
    {
        var dx = (int)Math.Round(plate.Width * 0.12);
        var dy = (int)Math.Round(plate.Height * 0.2);
        return new PixelBox(plate.X1 + dx, plate.Y1 + dy, plate.X2 - dx, plate.Y2 - dy);
    }

    private static bool Measurable(PixelBox box) => box.Width >= 8 && box.Height >= 6;

    private static double Correlate(byte[] clip, byte[] scene, int width, PixelBox box) =>
        PatchStats.Correlation(clip, scene, width, box.ToBoxF());

    /// <summary>
    /// The scene frame each clip frame shows: the one with the least mean absolute difference on a coarse grid
    /// (obscured regions differ from every candidate alike; the moving cars and walkers tell the frames apart). The
    /// mapping must be strictly increasing (frames dropped before detection leave gaps, never reorder).
    /// </summary>
    private static int[] MapToScene(List<byte[]> clip, List<byte[]> scene, int width, int height)
    {
        var map = new int[clip.Count];
        var previous = -1;
        for (var i = 0; i < clip.Count; i++)
        {
            if (IsBlack(clip[i]))
            {
                map[i] = -1;
                continue;
            }

            var best = -1;
            var bestScore = double.MaxValue;
            var second = double.MaxValue;
            for (var j = 0; j < scene.Count; j++)
            {
                long sum = 0;
                for (var y = 2; y < height; y += 6)
                {
                    for (var x = 2; x < width; x += 6)
                    {
                        var k = ((y * width) + x) * 3;
                        sum += Math.Abs(clip[i][k] - scene[j][k]) + Math.Abs(clip[i][k + 1] - scene[j][k + 1]) + Math.Abs(clip[i][k + 2] - scene[j][k + 2]);
                    }
                }

                if (sum < bestScore)
                {
                    second = bestScore;
                    bestScore = sum;
                    best = j;
                }
                else if (sum < second)
                {
                    second = sum;
                }
            }

            map[i] = best;
            Assert.That(best, Is.GreaterThan(previous), $"clip frame {i} matched scene frame {best} after {previous}: " + string.Join(',', map.Take(i + 1)));
            previous = best;
            Assert.That(second, Is.GreaterThan(bestScore * 1.05), $"clip frame {i}: its scene frame is ambiguous");
        }

        return map;
    }

    /// <summary>A frame masked whole (black: nothing of the source); its scene frame cannot and need not be told.</summary>
    private static bool IsBlack(byte[] frame)
    {
        for (var i = 0; i < frame.Length; i += 97)
        {
            if (frame[i] > 24)
            {
                return false;
            }
        }

        return true;
    }

    private static string DaemonYaml(ComposedScene scene, RunnableConfig config)
    {
        // The generated configuration, adapted: the plate detector is needed by the clip path only (it costs ~0.7 s a
        // frame live), so its live crops are of a class the scene has none of; the clip path runs it on every vehicle.
        var generated = scene.ConfigYaml
            .Replace("model: ppocr-v4-det, crops_of: [vehicle]", "model: ppocr-v4-det, crops_of: [bicycle]", StringComparison.Ordinal)
            .Replace("  plate_detector: vehicle-plates", "  plate_detector: vehicle-plates\n  plate_recognizer: ppocr-v4-rec", StringComparison.Ordinal);
        Assert.That(generated, Does.Contain("crops_of: [bicycle]").And.Contain("plate_recognizer"), "the generated configuration's shape changed");
        return $$"""
            device:
              id: unit-scene
              state_directory: {{config.StateDirectory}}
              credentials_directory: {{config.CredentialsDirectory}}
              time_zone: UTC
              # The clips get every frame (clip memory: the live path never drops frames for them), and on a
              # loaded CI machine their clip path can take longer than the default 15 s after --stop-after.
              shutdown_timeout_seconds: 90
            {{generated}}
            inference:
              providers: [cpu]
              models_directory: {{RepoPaths.Models}}
            recording:
              pre_roll_seconds: 1
              post_roll_seconds: 1
              max_clip_seconds: 20
              encoder: libx264
            vault:
              city_public_key: {{Path.Combine(config.Directory, "city-public.pem")}}
              city_ack_public_key: {{Path.Combine(config.Directory, "city-ack-public.pem")}}
            uplink:
              enabled: false
            """;
    }

    private static async Task<List<byte[]>> DecodeAllAsync(string path, int width, int height, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-nostdin", "-i", path, "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var frames = new List<byte[]>();
        var stream = process.StandardOutput.BaseStream;
        while (true)
        {
            var frame = new byte[width * height * 3];
            var got = 0;
            while (got < frame.Length)
            {
                var n = await stream.ReadAsync(frame.AsMemory(got), cancellationToken);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }

            if (got == 0)
            {
                break;
            }

            Assert.That(got, Is.EqualTo(frame.Length), $"{path}: a partial frame");
            frames.Add(frame);
        }

        await process.WaitForExitAsync(cancellationToken);
        Assert.That(process.ExitCode, Is.Zero, await stderr);
        return frames;
    }

    /// <summary>The correlations measured, and the regions that failed.</summary>
    private sealed class Tally
    {
        private readonly List<double> _faces = [];
        private readonly List<double> _plates = [];
        private readonly List<double> _offender = [];
        private readonly List<double> _platesWhole = [];

        public List<string> Leaks { get; } = [];

        public List<string> Lost { get; } = [];

        public int MaskedWhole { get; set; }

        public List<string> Reads { get; } = [];

        public int Faces => _faces.Count;

        public int Plates => _plates.Count;

        public int Kept => _offender.Count(r => r > KeptAbove);

        public void Face(double r, string where)
        {
            _faces.Add(r);
            if (Math.Abs(r) >= GoneBelow)
            {
                Leaks.Add(FormattableString.Invariant($"{where} r={r:F2}"));
            }
        }

        public void Bystander(double whole, double text, string where)
        {
            _plates.Add(text);
            _platesWhole.Add(whole);
            if (Math.Abs(text) >= GoneBelow)
            {
                Leaks.Add(FormattableString.Invariant($"{where} text r={text:F2} (whole plate r={whole:F2})"));
            }
        }

        public void Offender(double r, string objectId, string where)
        {
            _ = objectId;
            _offender.Add(r);
            if (r <= KeptAbove)
            {
                Lost.Add(FormattableString.Invariant($"{where} r={r:F2}"));
            }
        }

        public string Summary()
        {
            var gone = _faces.Count(r => Math.Abs(r) < GoneBelow) + _plates.Count(r => Math.Abs(r) < GoneBelow);
            var all = _faces.Count + _plates.Count;
            return string.Create(CultureInfo.InvariantCulture, $"""
                privacy recall {gone}/{all} = {(all == 0 ? 0 : 100.0 * gone / all):F1} % (|r| < {GoneBelow}): faces {_faces.Count(r => Math.Abs(r) < GoneBelow)}/{_faces.Count} (max |r| {Max(_faces):F3}), bystander plates' text {_plates.Count(r => Math.Abs(r) < GoneBelow)}/{_plates.Count} (max |r| {Max(_plates):F3})
                whole bystander plate boxes (text, border and rim) |r| < {GoneBelow}: {_platesWhole.Count(r => Math.Abs(r) < GoneBelow)}/{_platesWhole.Count} (max |r| {Max(_platesWhole):F3})
                frames masked whole (black, not measured): {MaskedWhole}; offender plate reads: {string.Join(", ", Reads)}
                offender plate kept (r > {KeptAbove}) {Kept}/{_offender.Count} (min r {(_offender.Count == 0 ? double.NaN : _offender.Min()):F3}, median {Median(_offender):F3})
                """);
        }

        private static double Max(List<double> rs) => rs.Count == 0 ? double.NaN : rs.Max(Math.Abs);

        private static double Median(List<double> rs) => rs.Count == 0 ? double.NaN : rs.Order().ElementAt(rs.Count / 2);
    }
}
