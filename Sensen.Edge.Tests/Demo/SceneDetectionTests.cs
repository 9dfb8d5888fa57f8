using System.Globalization;
using Sensen.Edge.Demo;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Demo;

/// <summary>
/// The real detector finds what the composed scene claims: the shipped CenterNet (ONNX Runtime, CPU) on every
/// second frame of the clip as the real ingest decodes it, each ground-truth vehicle and person (at least 90 %
/// inside the frame) matched to a detection of its kind at IoU ≥ 0.5. Measured at confidence 0.3 (the scene
/// configuration's): vehicles 85–100 % per car, people 95–100 % per person, mean IoU 0.86–0.93
/// (docs/DEMO-SCENE.md). A person's ground-truth box is the whole cut-out, so its IoU is lower than a car's.
/// </summary>
public sealed class SceneDetectionTests
{
    [Test]
    [CancelAfter(240_000)]
    public async Task CenterNet_ComposedStreet_FindsEveryVehicleAndPerson(CancellationToken cancellationToken)
    {
        var scene = await TestScenes.ComposeAsync(TestScenes.Street, cancellationToken);
        var truth = scene.GroundTruth;
        using var detectors = DetectorSet.Create([new DetectorOptions { Id = "objects", Model = "centernet", Confidence = 0.3 }], RepoPaths.Models, TestModels.CpuFactory());
        var centernet = detectors["objects"];
        var found = new List<DetectedObject>();
        var tally = truth.Objects.ToDictionary(o => o.Id, _ => (Seen: 0, Found: 0, IouSum: 0.0));
        var falsePositives = new List<string>();
        await TestScenes.DecodeAsync(scene.ClipPath, truth.Width, truth.Height, (i, frame) =>
        {
            if (i % 2 != 0)
            {
                return Task.CompletedTask;
            }

            found.Clear();
            centernet.Detect(frame, found);
            var used = new bool[found.Count];
            foreach (var o in truth.Frames[i].Objects.Where(o => o.Visible >= 0.9))
            {
                var kind = truth.Object(o.ObjectId).Class;
                var (best, bestIou) = (-1, 0f);
                for (var d = 0; d < found.Count; d++)
                {
                    var iou = found[d].Box.IntersectionOverUnion(o.Box.ToBoxF());
                    if (!used[d] && SameKind(kind, found[d].Class) && iou > bestIou)
                    {
                        (best, bestIou) = (d, iou);
                    }
                }

                var t = tally[o.ObjectId];
                if (best >= 0 && bestIou >= 0.5)
                {
                    used[best] = true;
                    tally[o.ObjectId] = (t.Seen + 1, t.Found + 1, t.IouSum + bestIou);
                }
                else
                {
                    tally[o.ObjectId] = (t.Seen + 1, t.Found, t.IouSum);
                }
            }

            // A detection is false only if it overlaps no object at all (partly visible ones included).
            for (var d = 0; d < found.Count; d++)
            {
                if (!used[d] && !truth.Frames[i].Objects.Any(o => found[d].Box.IntersectionOverUnion(o.Box.ToBoxF()) >= 0.3))
                {
                    falsePositives.Add(string.Create(CultureInfo.InvariantCulture, $"frame {i}: {found[d]}"));
                }
            }

            return Task.CompletedTask;
        }, cancellationToken);

        foreach (var (id, t) in tally)
        {
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id}: found in {t.Found}/{t.Seen} frames ({100.0 * t.Found / t.Seen:0}%), mean IoU {t.IouSum / Math.Max(1, t.Found):0.00}"));
        }

        TestContext.Out.WriteLine($"false detections: {falsePositives.Count}; {string.Join("; ", falsePositives)}");
        var cars = truth.Objects.Where(o => o.Class == "car").Select(o => tally[o.Id]).ToList();
        var people = truth.Objects.Where(o => o.Class == "person").Select(o => tally[o.Id]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(cars.Sum(t => t.Seen), Is.GreaterThan(80), "the vehicles are in the frames the ground truth says");
            foreach (var (id, t) in tally)
            {
                Assert.That((double)t.Found / t.Seen, Is.GreaterThanOrEqualTo(0.75), $"{id} found in {t.Found}/{t.Seen} frames");
            }

            Assert.That((double)cars.Sum(t => t.Found) / cars.Sum(t => t.Seen), Is.GreaterThanOrEqualTo(0.9), "vehicle detection rate");
            Assert.That((double)people.Sum(t => t.Found) / people.Sum(t => t.Seen), Is.GreaterThanOrEqualTo(0.9), "person detection rate");
            Assert.That(falsePositives, Has.Count.LessThanOrEqualTo(5), "detections where the scene has nothing (measured: 3, parts of cars entering at the bottom edge taken for people)");
        });
    }

    private static bool SameKind(string kind, ObjectClass detected) =>
        kind == "person" ? detected == ObjectClass.Person : detected is ObjectClass.Car or ObjectClass.Truck or ObjectClass.Bus;
}
