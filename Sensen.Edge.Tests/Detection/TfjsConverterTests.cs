using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;
using W = Sensen.Edge.Tests.Detection.TfjsModelWriter;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// The TFJS → ONNX converter on small graphs written by the test: every supported op with the awkward cases
/// (SAME padding with an odd total, dilation, explicit padding, each resize coordinate mode, negative slice
/// strides, masks) against @tensorflow/tfjs, and the errors for unknown ops, truncated shards and mismatched
/// shapes. The shipped models' conversion is checked for determinism against the manifests' pinned hashes.
/// </summary>
internal sealed class TfjsConverterTests
{
    private static readonly string[] OpsOutputs = ["c1", "resize_corners", "resize_asymmetric", "max_mean", "padded", "split", "split:1", "cast_back", "sliced", "squeezed", "halves", "leaky", "explicit", "prelu_conv", "uint8_conv", "dw2", "reshaped2", "stacked"];

    private string _directory = null!;

    [OneTimeSetUp]
    public void MakeDirectory() => _directory = TestModels.NewModelsDirectory();

    [OneTimeTearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    [CancelAfter(120_000)]
    public async Task Convert_EverySupportedOp_MatchesTfjs(CancellationToken cancellationToken)
    {
        var json = OpsModel().Write(_directory, "ops");
        var input = Enumerable.Range(0, 6 * 6 * 4).Select(i => (float)Math.Sin(i * 0.7) * 3).ToArray();
        long[] shape = [1, 6, 6, 4];
        var onnx = Path.Combine(_directory, "ops.onnx");
        await File.WriteAllBytesAsync(onnx, TfjsConverter.Convert(TfjsGraphModel.Load(json), OpsOutputs), cancellationToken);

        var expected = await TfjsReference.RunAsync(json, input, shape, OpsOutputs, cancellationToken);
        var actual = TfjsConverterReferenceTests.RunOnnx(onnx, input, shape);

        var wrong = new List<string>();
        foreach (var name in OpsOutputs)
        {
            var (refShape, refValues) = expected[name];
            var (shapeOut, values) = actual[name];
            // Counted so that a NaN on either side is a failure (Enumerable.Max would rank NaN lowest).
            var outside = shapeOut.SequenceEqual(refShape) ? refValues.Zip(values, (a, b) => !(Math.Abs(a - b) <= 1e-4)).Count(o => o) : -1;
            if (outside != 0)
            {
                wrong.Add($"{name}: shape {ModelShapes.Format(shapeOut)} vs tfjs {ModelShapes.Format(refShape)}, {outside} values differ by more than 1e-4");
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Convert_UnknownOp_NamesOpAndNode()
    {
        var m = new W();
        m.Placeholder("input", 1, 2, 2, 1);
        m.Node("head/erf", "Erf", ["input"]);
        var json = m.Write(_directory, "unknown");

        var e = Assert.Throws<ModelException>(() => TfjsConverter.Convert(TfjsGraphModel.Load(json), ["head/erf"]));

        Assert.That(e!.Message, Does.StartWith($"{json}: node 'head/erf' (Erf): op 'Erf' is not supported by convert-tfjs (supported: Const, "));
        Assert.That(e.Message, Does.EndWith("if it is post-processing, cut the graph before it with --outputs"));
    }

    [Test]
    public void Convert_CutBeforeUnknownOp_Converts()
    {
        var m = new W();
        m.Placeholder("input", 1, 2, 2, 1);
        m.Node("relu", "Relu", ["input"]);
        m.Node("head/erf", "Erf", ["relu"]);
        var json = m.Write(_directory, "cut");

        var result = TfjsConverterReferenceTests.RunOnnx(WriteOnnx(json, "cut", ["relu"]), [-1, 2, -3, 4], [1, 2, 2, 1]);

        Assert.That(result["relu"].Values, Is.EqualTo(new float[] { 0, 2, 0, 4 }));
    }

    [Test]
    public void Load_TruncatedWeightShard_NamesWeightAndShard()
    {
        var m = new W();
        m.Placeholder("input", 1, 2, 2, 1);
        m.Const("first", new float[4], [4]);
        m.Const("filter", new float[9], [3, 3, 1, 1]);
        var json = m.Write(_directory, "truncated", truncateShardTo: 30);

        var e = Assert.Throws<ModelException>(() => TfjsGraphModel.Load(json));

        Assert.That(e!.Message, Is.EqualTo($"{json}: weight 'filter' needs bytes 16..52 of truncated.bin, which hold 30 (truncated or wrong weight shard)"));
    }

    [Test]
    public void Load_ShardLongerThanItsWeights_IsRefused()
    {
        var m = new W();
        m.Const("first", new float[4], [4]);
        var json = m.Write(_directory, "long");
        File.AppendAllText(Path.Combine(_directory, "long.bin"), "xy");

        var e = Assert.Throws<ModelException>(() => TfjsGraphModel.Load(json));

        Assert.That(e!.Message, Is.EqualTo($"{json}: the weights of long.bin take 16 bytes but the shards hold 18 (wrong weight shard)"));
    }

    [Test]
    public void Convert_FilterChannelsDisagreeWithInput_NamesBothShapes()
    {
        var m = new W();
        m.Placeholder("input", 1, 4, 4, 3);
        m.Const("filter", new float[3 * 3 * 2 * 1], [3, 3, 2, 1]);
        m.Node("conv", "Conv2D", ["input", "filter"], new JsonObject { ["padding"] = W.Str("SAME"), ["strides"] = W.Ints(1, 1, 1, 1) });
        var json = m.Write(_directory, "channels");

        var e = Assert.Throws<ModelException>(() => TfjsConverter.Convert(TfjsGraphModel.Load(json), ["conv"]));

        Assert.That(e!.Message, Is.EqualTo($"{json}: node 'conv' (Conv2D): filter 'filter' [3, 3, 2, 1] expects 2 input channels, but input 'input' has shape [1, 4, 4, 3]"));
    }

    [Test]
    public void Convert_ConstShapeDisagreesWithWeightsManifest_IsRefused()
    {
        var m = new W();
        m.Placeholder("input", 1, 2, 2, 1);
        m.Const("bias", new float[4], [4], declared: [2, 2]);
        m.Node("add", "AddV2", ["input", "bias"]);
        var json = m.Write(_directory, "declared");

        var e = Assert.Throws<ModelException>(() => TfjsConverter.Convert(TfjsGraphModel.Load(json), ["add"]));

        Assert.That(e!.Message, Is.EqualTo($"{json}: node 'bias' (Const) declares shape [2, 2] but weightsManifest gives 'bias' shape [4]"));
    }

    [Test]
    public void Convert_OperandsThatDoNotBroadcast_NamesShapes()
    {
        var m = new W();
        m.Placeholder("input", 1, 2, 2, 3);
        m.Const("bias", new float[2], [2]);
        m.Node("add", "AddV2", ["input", "bias"]);
        var json = m.Write(_directory, "broadcast");

        var e = Assert.Throws<ModelException>(() => TfjsConverter.Convert(TfjsGraphModel.Load(json), ["add"]));

        Assert.That(e!.Message, Is.EqualTo($"{json}: node 'add' (AddV2): shapes [1, 2, 2, 3] and [2] do not broadcast"));
    }

    [Test]
    public void ConvertTfjs_MissingModel_ExitsNoInput()
    {
        using var stderr = new StringWriter();

        var code = ModelsCommand.ConvertTfjs(Path.Combine(_directory, "absent.json"), Path.Combine(_directory, "x.onnx"), null, TextWriter.Null, stderr);

        Assert.That(code, Is.EqualTo(Sensen.Edge.Cli.ExitCodes.NoInput));
        Assert.That(stderr.ToString(), Does.Contain("absent.json does not exist"));
    }

    /// <summary>Conversion is deterministic: the same input gives the bytes whose hash the manifest pins (build.sh relies on it).</summary>
    [TestCase("centernet", "centernet.json", "tower_0/keypoints,tower_0/wh")]
    [TestCase("blazeface", "blazeface.json", null)]
    public void ConvertTfjs_ShippedModel_ReproducesPinnedHash(string manifest, string modelJson, string? outputs)
    {
        var pinned = ModelManifestReader.Read(RepoPaths.Models, manifest).Sha256;
        var out1 = Path.Combine(_directory, manifest + "-1.onnx");
        var out2 = Path.Combine(_directory, manifest + "-2.onnx");
        var json = Path.Combine(TfjsConverterReferenceTests.HumanModels, modelJson);

        Assert.That(ModelsCommand.ConvertTfjs(json, out1, outputs, TextWriter.Null, TextWriter.Null), Is.Zero);
        Assert.That(ModelsCommand.ConvertTfjs(json, out2, outputs, TextWriter.Null, TextWriter.Null), Is.Zero);

        Assert.That(File.ReadAllBytes(out2), Is.EqualTo(File.ReadAllBytes(out1)));
        Assert.That(ModelManifestReader.HashFile(out1), Is.EqualTo(pinned));
    }

    private string WriteOnnx(string json, string name, string[] outputs)
    {
        var path = Path.Combine(_directory, name + ".onnx");
        File.WriteAllBytes(path, TfjsConverter.Convert(TfjsGraphModel.Load(json), outputs));
        return path;
    }

    private static float[] Values(int count, double phase) => [.. Enumerable.Range(0, count).Select(i => (float)Math.Cos((i * 1.3) + phase) * 0.5f)];

    private static JsonObject Conv(string padding, long stride, params string[] fused)
    {
        var a = new JsonObject { ["padding"] = W.Str(padding), ["strides"] = W.Ints(1, stride, stride, 1), ["dilations"] = W.Ints(1, 1, 1, 1), ["data_format"] = W.Str("NHWC") };
        if (fused.Length > 0)
        {
            a["fused_ops"] = W.Strs(fused);
            a["num_args"] = W.Int(fused.Contains("Prelu") ? 2 : 1);
        }

        return a;
    }

    private static W OpsModel()
    {
        var m = new W();
        m.Placeholder("input", 1, 6, 6, 4);

        // Stride 2 SAME on 6: 3 outputs, total padding 1, all of it after (TensorFlow's rule).
        m.Const("f1", Values(3 * 3 * 4 * 8, 0), [3, 3, 4, 8]);
        m.Const("b1", Values(8, 1), [8]);
        var leaky = Conv("SAME", 2, "BiasAdd", "LeakyRelu");
        leaky["leakyrelu_alpha"] = W.Float(0.1f);
        m.Node("c1", "_FusedConv2D", ["input", "f1", "b1"], leaky);

        // VALID with a fused PReLU: 4×4.
        m.Const("f2", Values(3 * 3 * 4 * 4, 2), [3, 3, 4, 4]);
        m.Const("b2", Values(4, 3), [4]);
        m.Const("alpha", [0.1f, 0.2f, 0.3f, 0.4f], [4]);
        m.Node("prelu_conv", "_FusedConv2D", ["input", "f2", "b2", "alpha"], Conv("VALID", 1, "BiasAdd", "Prelu"));

        // Depthwise with multiplier 2, fused ReLU6; then depth-to-space. (tfjs 4.22's CPU backend drops the alpha
        // of a depthwise leaky ReLU, giving NaN for negative values, so the leaky ReLU is fused into c1 instead.)
        m.Const("fdw", Values(3 * 3 * 8 * 2, 4), [3, 3, 8, 2]);
        m.Const("bdw", Values(16, 5), [16]);
        m.Node("dw", "FusedDepthwiseConv2dNative", ["c1", "fdw", "bdw"], Conv("SAME", 1, "BiasAdd", "Relu6"));
        m.Node("d2s", "DepthToSpace", ["dw"], new JsonObject { ["block_size"] = W.Int(2), ["data_format"] = W.Str("NHWC") });

        // Dilated SAME convolution (effective window 5, padding 2 each side) and plain depthwise.
        m.Const("fd", Values(3 * 3 * 4 * 3, 6), [3, 3, 4, 3]);
        var dilated = Conv("SAME", 1);
        dilated["dilations"] = W.Ints(1, 2, 2, 1);
        m.Node("dilated", "Conv2D", ["input", "fd"], dilated);
        m.Const("fdw2", Values(3 * 3 * 4, 7), [3, 3, 4, 1]);
        m.Node("dw2", "DepthwiseConv2dNative", ["input", "fdw2"], Conv("SAME", 2));

        // Explicit padding (top 1, bottom 2, left 2, right 0).
        var explicitPad = Conv("EXPLICIT", 1);
        explicitPad["explicit_paddings"] = W.Ints(0, 0, 1, 2, 2, 0, 0, 0);
        m.Node("explicit", "Conv2D", ["input", "fd"], explicitPad);

        // uint8-quantised filter.
        m.ConstUint8("fq", [.. Enumerable.Range(0, 1 * 1 * 4 * 2).Select(i => (byte)(i * 31))], 0.01, -1.0, 1, 1, 4, 2);
        m.Node("uint8_conv", "Conv2D", ["input", "fq"], Conv("VALID", 1));

        // Pools: max SAME stride 2 on 4 (padding after), average VALID.
        var pool = Conv("SAME", 2);
        pool["ksize"] = W.Ints(1, 3, 3, 1);
        m.Node("mp", "MaxPool", ["prelu_conv"], pool);
        m.Node("leaky", "LeakyRelu", ["mp"], new JsonObject { ["alpha"] = W.Float(0.3f) });
        var avg = Conv("VALID", 2);
        avg["ksize"] = W.Ints(1, 2, 2, 1);
        m.Node("ap", "AvgPool", ["input"], avg);

        // Each resize coordinate mode.
        m.ConstInt("size_a", [5, 7], 2);
        m.ConstInt("size_b", [6, 6], 2);
        m.ConstInt("size_c", [7, 5], 2);
        m.Node("resize_corners", "ResizeBilinear", ["dw", "size_a"], new JsonObject { ["align_corners"] = W.Bool(true), ["half_pixel_centers"] = W.Bool(false) });
        m.Node("resize_half", "ResizeBilinear", ["ap", "size_b"], new JsonObject { ["align_corners"] = W.Bool(false), ["half_pixel_centers"] = W.Bool(true) });
        m.Node("resize_asymmetric", "ResizeBilinear", ["ap", "size_c"], new JsonObject { ["align_corners"] = W.Bool(false), ["half_pixel_centers"] = W.Bool(false) });

        // Concatenation on channels, reductions, arithmetic with scalar and per-channel constants.
        m.ConstInt("axis3", [3]);
        m.Node("cat", "ConcatV2", ["resize_half", "input", "dilated", "axis3"], new JsonObject { ["N"] = W.Int(3) });
        m.ConstInt("hw", [1, 2], 2);
        m.Node("mean", "Mean", ["cat", "hw"], new JsonObject { ["keep_dims"] = W.Bool(false) });
        m.Const("floor", [0.05f], []);
        m.Node("max_mean", "Maximum", ["mean", "floor"]);
        m.Node("mean_c", "Mean", ["cat", "axis3"], new JsonObject { ["keep_dims"] = W.Bool(true) });
        m.Node("centred", "Sub", ["cat", "mean_c"]);
        m.Const("two_and_half", [2.5f], []);
        m.Node("scaled", "RealDiv", ["centred", "two_and_half"]);
        m.Const("per_channel", Values(11, 8), [11]);
        m.Node("weighted", "Mul", ["scaled", "per_channel"]);
        m.Node("squashed", "Sigmoid", ["weighted"]);
        m.ConstInt("paddings", [0, 0, 1, 2, 0, 1, 0, 3], 4, 2);
        m.Const("half", [0.5f], []);
        m.Node("padded", "PadV2", ["squashed", "paddings", "half"]);

        // Layout ops on the depth-to-space result.
        m.ConstInt("perm", [0, 3, 1, 2], 4);
        m.Node("transposed", "Transpose", ["d2s", "perm"]);
        m.ConstInt("shape", [1, -1, 6], 3);
        m.Node("reshaped", "Reshape", ["transposed", "shape"]);
        m.ConstInt("sizes", [10, -1], 2);
        m.ConstInt("axis1", [1]);
        m.Node("split", "SplitV", ["reshaped", "sizes", "axis1"], new JsonObject { ["num_split"] = W.Int(2) });
        m.ConstInt("begin", [0, 1, 5], 3);
        m.ConstInt("end", [1, 13, 0], 3);
        m.ConstInt("strides", [1, 3, -2], 3);
        m.Node("sliced", "StridedSlice", ["split:1", "begin", "end", "strides"], new JsonObject
        {
            ["begin_mask"] = W.Int(1), ["end_mask"] = W.Int(0), ["shrink_axis_mask"] = W.Int(0), ["ellipsis_mask"] = W.Int(0), ["new_axis_mask"] = W.Int(0),
        });
        m.ConstInt("begin2", [0, 0, -1], 3);
        m.ConstInt("end2", [0, 0, 0], 3);
        m.ConstInt("strides2", [1, 1, 1], 3);
        m.Node("last_column", "StridedSlice", ["sliced", "begin2", "end2", "strides2"], new JsonObject
        {
            ["begin_mask"] = W.Int(3), ["end_mask"] = W.Int(3), ["shrink_axis_mask"] = W.Int(4), ["ellipsis_mask"] = W.Int(0), ["new_axis_mask"] = W.Int(0),
        });
        m.ConstInt("last", [-1]);
        m.Node("expanded", "ExpandDims", ["last_column", "last"]);
        m.Const("ten", [10f], []);
        m.Node("times_ten", "Mul", ["expanded", "ten"]);
        m.Node("as_int", "Cast", ["times_ten"], new JsonObject { ["SrcT"] = W.Type("DT_FLOAT"), ["DstT"] = W.Type("DT_INT32") });
        m.Node("as_float", "Cast", ["as_int"], new JsonObject { ["SrcT"] = W.Type("DT_INT32"), ["DstT"] = W.Type("DT_FLOAT") });
        m.Const("one", [1f], []);
        m.Node("cast_back", "AddV2", ["as_float", "one"]);
        m.Node("squeezed", "Squeeze", ["expanded"], new JsonObject { ["squeeze_dims"] = W.Ints(2) });

        // A reshape whose shape is computed (Shape → StridedSlice → Pack), as Keras exports write it; a Pack of tensors.
        m.Node("shape_of", "Shape", ["d2s"], new JsonObject { ["out_type"] = W.Type("DT_INT32") });
        m.ConstInt("zero1", [0], 1);
        m.ConstInt("one1", [1], 1);
        m.Node("batch", "StridedSlice", ["shape_of", "zero1", "one1", "one1"], new JsonObject
        {
            ["begin_mask"] = W.Int(0), ["end_mask"] = W.Int(0), ["shrink_axis_mask"] = W.Int(1), ["ellipsis_mask"] = W.Int(0), ["new_axis_mask"] = W.Int(0),
        });
        m.ConstInt("minus_one", [-1]);
        m.ConstInt("six", [6]);
        m.Node("packed_shape", "Pack", ["batch", "minus_one", "six"], new JsonObject { ["N"] = W.Int(3), ["axis"] = W.Int(0), ["T"] = W.Type("DT_INT32") });
        m.Node("reshaped2", "Reshape", ["transposed", "packed_shape"]);
        m.Node("stacked", "Pack", ["mean", "max_mean"], new JsonObject { ["N"] = W.Int(2), ["axis"] = W.Int(1) });

        // Equal split of the first convolution's channels, recombined.
        m.Node("split2", "Split", ["axis3", "c1"], new JsonObject { ["num_split"] = W.Int(2) });
        m.Node("halves_sum", "Add", ["split2", "split2:1"]);
        m.Node("halves", "Identity", ["halves_sum"]);
        return m;
    }
}
