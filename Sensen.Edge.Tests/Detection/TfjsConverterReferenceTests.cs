using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// Every shipped TFJS-converted model against the original run by @tensorflow/tfjs (CPU backend) on the same
/// input tensor: a real photo preprocessed as the daemon does. Each reference runs once and is cached
/// (<see cref="TfjsReference"/>). Tolerances and the measured maximum errors are in docs/MODELS.md.
/// </summary>
[Category("Reference")]
internal sealed class TfjsConverterReferenceTests
{
    /// <summary>Relative part of the tolerance: float32 sums in a different order differ by a few ulps of the value.</summary>
    private const double RelativeTolerance = 1e-5;

    /// <summary>
    /// Manifest, TFJS model file, the photo fed to both, outputs the converter cut at, absolute tolerance per
    /// output; each value must satisfy |onnx − tfjs| ≤ absolute + 1e-5 · |tfjs|.
    /// </summary>
    private static readonly object[] Models =
    [
        new object[] { "centernet", "centernet.json", "licenseplate", new[] { "tower_0/keypoints", "tower_0/wh" }, new[] { 1e-3, 1e-2 } },
        new object[] { "blazeface", "blazeface.json", "sample1", new[] { "Identity", "Identity_1", "Identity_2", "Identity_3" }, new[] { 1e-3, 1e-3, 1e-2, 1e-2 } },
    ];

    [TestCaseSource(nameof(Models))]
    [CancelAfter(300_000)]
    public async Task Convert_ShippedModel_MatchesTfjsWithinTolerance(string manifestName, string modelJson, string photo, string[] outputs, double[] tolerances, CancellationToken cancellationToken)
    {
        var model = ModelManifestReader.Read(RepoPaths.Models, manifestName);
        var input = Preprocess(model.Manifest, photo == "licenseplate" ? TestImages.LicensePlate : TestImages.FaceApiSample(1));
        long[] shape = [1, model.Manifest.InputHeight, model.Manifest.InputWidth, 3];

        var expected = await TfjsReference.RunAsync(Path.Combine(HumanModels, modelJson), input, shape, outputs, cancellationToken);
        var actual = RunOnnx(model.ModelPath, input, shape);

        Assert.That(actual.Keys, Is.EquivalentTo(outputs));
        for (var i = 0; i < outputs.Length; i++)
        {
            var (refShape, refValues) = expected[outputs[i]];
            var (shapeOut, values) = actual[outputs[i]];
            Assert.That(shapeOut, Is.EqualTo(refShape), outputs[i]);
            var maxError = refValues.Zip(values, (a, b) => Math.Abs((double)a - b)).Max();
            var outside = refValues.Zip(values, (a, b) => !(Math.Abs((double)a - b) <= tolerances[i] + (RelativeTolerance * Math.Abs(a)))).Count(o => o);
            TestContext.Out.WriteLine($"{manifestName} {outputs[i]} {ModelShapes.Format(shapeOut)}: max |onnx - tfjs| = {maxError:G3} (values {refValues.Min():G4}..{refValues.Max():G4})");
            Assert.That(outside, Is.Zero, $"{outputs[i]}: {outside} values outside {tolerances[i]} + {RelativeTolerance}·|tfjs|; max |error| {maxError:G3}");
        }
    }

    internal static string HumanModels => Path.Combine(RepoPaths.Cache, "npm", "human", "models");

    internal static float[] Preprocess(ModelManifest manifest, string photo)
    {
        var frame = TestImages.LoadFrame(photo);
        var preprocessor = new ImagePreprocessor(manifest);
        var tensor = new float[preprocessor.TensorLength];
        preprocessor.Run(frame, tensor, fillPadding: true);
        return tensor;
    }

    internal static Dictionary<string, (long[] Shape, float[] Values)> RunOnnx(string path, float[] input, long[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputNames[0], new DenseTensor<float>(input, [.. shape.Select(d => (int)d)]))]);
        return results.ToDictionary(r => r.Name, r =>
        {
            var t = r.AsTensor<float>();
            return (t.Dimensions.ToArray().Select(d => (long)d).ToArray(), t.ToArray());
        });
    }
}
