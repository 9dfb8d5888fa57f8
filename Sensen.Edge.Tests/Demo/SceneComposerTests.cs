using System.Globalization;
using Sensen.Edge.Configuration;
using Sensen.Edge.Demo;
using Sensen.Edge.Detection;
using Sensen.Edge.Rules;
using Sensen.Edge.Tests.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Demo;

/// <summary>
/// The composed scene gives the ground truth it claims: decoded frames (real ingest) carry, at each ground-truth
/// face and plate box, the photograph's own patch; the plates read (PP-OCR) as the ground truth says; the same
/// spec gives the same ground truth and configuration; the configuration loads; a bad spec is refused.
/// </summary>
public sealed class SceneComposerTests
{
    /// <summary>Luma correlation a patch must reach with its photograph (measured minimum about 0.97 at crf 18).</summary>
    private const double MatchThreshold = 0.9;

    [Test]
    [CancelAfter(180_000)]
    public async Task ComposeAsync_StreetScene_EveryFaceAndPlateBoxHoldsItsPhotograph(CancellationToken cancellationToken)
    {
        var scene = await TestScenes.ComposeAsync(TestScenes.Street, cancellationToken);
        var truth = scene.GroundTruth;
        var sprites = await SceneComposer.LoadSpritesAsync(TestScenes.Street, cancellationToken);
        var background = SceneBackground.Draw(truth.Width, truth.Height);
        var ids = SceneScript.Actors.Select(a => a.Object.Id).ToList();
        var (faces, plates, worstFace, worstPlate, bestAgainstRoad) = (0, 0, 1.0, 1.0, -1.0);
        var frames = await TestScenes.DecodeAsync(scene.ClipPath, truth.Width, truth.Height, (i, frame) =>
        {
            foreach (var o in truth.Frames[i].Objects.Where(o => o.Visible == 1))
            {
                var sprite = sprites[ids.IndexOf(o.ObjectId)];
                foreach (var part in new[] { o.Face, o.Plate })
                {
                    if (part is not { } box)
                    {
                        continue;
                    }

                    // The same rectangle in the object's own picture (the photograph cut and scaled by ffmpeg).
                    var r = SceneMath.Correlation(frame.Pixels, truth.Width, box, sprite.Bgr, sprite.Width, box.X1 - o.Box.X1, box.Y1 - o.Box.Y1);
                    var road = SceneMath.Correlation(frame.Pixels, truth.Width, box, background, truth.Width, box.X1, box.Y1);
                    bestAgainstRoad = Math.Max(bestAgainstRoad, road);
                    if (part == o.Face)
                    {
                        faces++;
                        worstFace = Math.Min(worstFace, r);
                    }
                    else
                    {
                        plates++;
                        worstPlate = Math.Min(worstPlate, r);
                    }
                }
            }

            return Task.CompletedTask;
        }, cancellationToken);

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{frames} frames: {faces} face boxes, worst correlation {worstFace:0.000}; {plates} plate boxes, worst {worstPlate:0.000}; best against the empty road {bestAgainstRoad:0.000}"));
        Assert.Multiple(() =>
        {
            Assert.That(frames, Is.EqualTo(truth.Frames.Count));
            Assert.That(faces, Is.GreaterThan(300), "three people in every frame");
            Assert.That(plates, Is.GreaterThan(150));
            Assert.That(worstFace, Is.GreaterThan(MatchThreshold));
            Assert.That(worstPlate, Is.GreaterThan(MatchThreshold));
            Assert.That(bestAgainstRoad, Is.LessThan(0.5), "the comparison tells a face or plate from the road under it");
        });
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task ComposeAsync_StreetScene_PlatesReadAsTheGroundTruthSays(CancellationToken cancellationToken)
    {
        var scene = await TestScenes.ComposeAsync(TestScenes.Street, cancellationToken);
        var truth = scene.GroundTruth;
        using var recognizer = new TextRecognizer(TestModels.CpuFactory().Create(ModelManifestReader.Read(RepoPaths.Models, "ppocr-v4-rec")));
        var reads = new Dictionary<string, List<string>>();
        await TestScenes.DecodeAsync(scene.ClipPath, truth.Width, truth.Height, (i, frame) =>
        {
            foreach (var o in truth.Frames[i].Objects.Where(o => o.Plate is not null && o.Visible == 1 && i % 5 == 0))
            {
                var (text, _) = recognizer.Read(frame, o.Plate!.Value.ToBoxF());
                (reads.TryGetValue(o.ObjectId, out var list) ? list : reads[o.ObjectId] = []).Add(text);
            }

            return Task.CompletedTask;
        }, cancellationToken);

        foreach (var (id, texts) in reads)
        {
            TestContext.Out.WriteLine($"{id} ({truth.Object(id).PlateText}): {string.Join(", ", texts)}");
        }

        Assert.Multiple(() =>
        {
            foreach (var car in truth.Objects.Where(o => o.Class == "car"))
            {
                var texts = reads[car.Id];
                var right = texts.Count(t => t.Replace(" ", "", StringComparison.Ordinal) == car.PlateText!.Replace(" ", "", StringComparison.Ordinal));
                Assert.That(right, Is.GreaterThanOrEqualTo((texts.Count + 1) / 2), $"{car.Id}: {string.Join(", ", texts)}");
            }
        });
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task ComposeAsync_SameSpec_SameGroundTruthAndConfig(CancellationToken cancellationToken)
    {
        var scene = await TestScenes.ComposeAsync(TestScenes.Street, cancellationToken);
        var again = SceneComposer.GroundTruth(TestScenes.Street, await SceneComposer.LoadSpritesAsync(TestScenes.Street, cancellationToken));
        var truth = SceneGroundTruth.FromJson(await File.ReadAllTextAsync(scene.GroundTruthPath, cancellationToken));
        Assert.Multiple(() =>
        {
            Assert.That(again.ToJson(), Is.EqualTo(scene.GroundTruth.ToJson()));
            Assert.That(truth.ToJson(), Is.EqualTo(scene.GroundTruth.ToJson()), "the JSON reads back to the same ground truth");
            Assert.That(SceneConfig.Yaml(TestScenes.Street, scene.ClipPath), Is.EqualTo(scene.ConfigYaml));
            Assert.That(truth.Frames, Has.Count.EqualTo(120));
            Assert.That(truth.Objects.Select(o => (o.Id, o.Role)), Is.EqualTo(new[]
            {
                ("car-bus-lane", SceneRole.Offender), ("car-parked", SceneRole.Offender), ("car-passing-1", SceneRole.Bystander), ("car-passing-2", SceneRole.Bystander),
                ("person-walking-down", SceneRole.Pedestrian), ("person-walking-up", SceneRole.Pedestrian), ("person-standing", SceneRole.Pedestrian),
            }));
            Assert.That(truth.Violations.Select(v => (v.RuleId, v.ObjectId, v.StartSeconds, v.DecidedSeconds)), Is.EqualTo(new[]
            {
                ("bus-lane", "car-bus-lane", 1.39, 3.39), ("kerb-no-stopping", "car-parked", 2.6, 5.6), ("red-light", "car-bus-lane", 4.822, 4.822),
            }));
            Assert.That(truth.Frames.Select(f => f.Red), Is.EqualTo(Enumerable.Range(0, 120).Select(i => i is >= 40 and < 70)), "red from 4 s to 7 s");
            var parked = truth.Frames[50].Objects.Single(o => o.ObjectId == "car-parked");
            Assert.That(parked.Box, Is.EqualTo(new PixelBox(770, 330, 1010, 490)), "at rest in the no-stopping zone");
            Assert.That(parked.Plate, Is.EqualTo(new PixelBox(858, 417, 917, 442)));
            Assert.That(truth.Frames[50].Objects.Single(o => o.ObjectId == "person-standing").Face, Is.Not.Null);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task GroundTruth_SmallerSlowerSpec_ScalesPlacesAndTimes(CancellationToken cancellationToken)
    {
        var spec = TestScenes.Street with { Width = 640, Height = 360, Fps = 5, Seconds = 24 };

        var truth = SceneComposer.GroundTruth(spec, await SceneComposer.LoadSpritesAsync(spec, cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(truth.Frames, Has.Count.EqualTo(120));
            Assert.That(truth.Frames[50].Seconds, Is.EqualTo(10));
            Assert.That(truth.Frames[50].Objects.Single(o => o.ObjectId == "car-parked").Box, Is.EqualTo(new PixelBox(385, 165, 505, 245)), "half the size, at rest");
            Assert.That(truth.Violations.Select(v => (v.StartSeconds, v.DecidedSeconds)), Is.EqualTo(new[] { (2.78, 4.78), (5.2, 8.2), (9.645, 9.645) }), "twice as slow; the dwell is the rule's");
            Assert.That(SceneConfig.Yaml(spec, "/clips/scene.mp4"), Does.Contain("analysis: {fps: 5, width: 640, height: 360}").And.Contain("url: file:///clips/scene.mp4"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ComposeAsync_GeneratedConfig_LoadsWithTheSceneZonesAndRules(CancellationToken cancellationToken)
    {
        var scene = await TestScenes.ComposeAsync(TestScenes.Street, cancellationToken);
        using var run = RunnableConfig.FromExample();
        var yaml = $"device:\n  id: demo-unit\n  state_directory: {run.StateDirectory}\n  credentials_directory: {run.CredentialsDirectory}\n"
            + SceneConfig.Yaml(TestScenes.Street, scene.ClipPath, RepoPaths.Models) + "uplink:\n  enabled: false\n";
        var path = Path.Combine(run.Directory, "scene.yaml");
        await File.WriteAllTextAsync(path, yaml, cancellationToken);

        var result = ConfigLoader.Load(path, d => new CredentialStore(d.CredentialsDirectory!));

        Assert.That(result.Errors, Is.Empty, yaml);
        var camera = result.Config!.Options.Cameras.Single();
        Assert.Multiple(() =>
        {
            Assert.That(camera.Id, Is.EqualTo(SceneConfig.CameraId));
            Assert.That(camera.Ingest.Url, Is.EqualTo(new Uri(scene.ClipPath).AbsoluteUri));
            Assert.That(camera.Rules.Rules.Select(r => (r.Id, r.Type, r.Zone)), Is.EqualTo(new[] { ("bus-lane", RuleKind.BusLane, (string?)"bus-lane"), ("kerb-no-stopping", RuleKind.NoStopping, "kerb-no-stopping"), ("red-light", RuleKind.RedLight, null) }));
            Assert.That(camera.Rules.Lines.Single().Id, Is.EqualTo("stop-line"));
            Assert.That(camera.Rules.Zones.Single(z => z.Id == "kerb-no-stopping").Polygon[0], Is.EqualTo(new NormalizedPoint(0.59375, 0.277778)));
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ComposeAsync_BadSpec_RefusedWithEveryProblem(CancellationToken cancellationToken)
    {
        var spec = TestScenes.Street with { Width = 321, Fps = 0, Seconds = 3, FaceApiDemo = "/nonexistent/face-api/demo" };

        var e = await Assert.ThrowsAsync<SceneException>(() => SceneComposer.ComposeAsync(spec, Path.Combine(TestScenes.Directory, "never"), cancellationToken));

        Assert.That(e!.Message, Is.EqualTo(
            "the scene cannot be composed: width 321: use an even number of pixels from 320 to 3840; fps 0: use 2 to 60; "
            + "seconds 3: use 8 to 120 (shorter scenes move vehicles too fast to track); "
            + "/nonexistent/face-api/demo/sample6.jpg is missing (./build.sh installs opencv-doc, the DejaVu fonts and fetches face-api into .cache)"));
        Assert.That(Directory.Exists(Path.Combine(TestScenes.Directory, "never")), Is.False, "nothing written");
    }
}
