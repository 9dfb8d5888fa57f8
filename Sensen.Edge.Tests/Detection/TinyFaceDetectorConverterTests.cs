using Microsoft.ML.OnnxRuntime;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// The face-api → ONNX converter, checked layer by layer against a plain C# implementation of the TensorFlow.js
/// operations face-api runs (NHWC, TensorFlow filter layouts, SAME pooling), sharing nothing with the converter
/// but the dequantised weights, whose decoding is itself checked against the raw bytes.
/// </summary>
internal sealed class TinyFaceDetectorConverterTests
{
    private static readonly int[] Conv0Shape = [3, 3, 3, 16];

    private static string WeightsManifest => Path.Combine(RepoPaths.Cache, "npm", "face-api", "model", "tiny_face_detector_model-weights_manifest.json");

    [Test]
    public void Load_Uint8Weights_DecodedAsQuantTimesScalePlusMin()
    {
        var weights = FaceApiWeights.Load(WeightsManifest);
        var raw = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(WeightsManifest)!, "tiny_face_detector_model.bin"));

        // conv0/filters is first in the file: scale 0.009007044399485869, min -1.2069439495311063 (the JSON).
        var (shape, values) = weights["conv0/filters"];

        Assert.That(shape, Is.EqualTo(Conv0Shape));
        Assert.That(values[0], Is.EqualTo((float)((raw[0] * 0.009007044399485869) + -1.2069439495311063)));
        Assert.That(values[431], Is.EqualTo((float)((raw[431] * 0.009007044399485869) + -1.2069439495311063)));

        // conv8/bias is last: the file is consumed exactly.
        Assert.That(weights["conv8/bias"].Values[24], Is.EqualTo((float)((raw[^1] * 0.002268134028303857) + -0.41053225912299807)));
    }

    [Test]
    public void Convert_SameWeightsTwice_ByteIdentical()
    {
        var weights = FaceApiWeights.Load(WeightsManifest);

        var first = TinyFaceDetectorConverter.Convert(weights);
        var second = TinyFaceDetectorConverter.Convert(weights);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Convert_EveryLayer_MatchesIndependentTensorFlowSemantics()
    {
        const int S = 64;
        var weights = FaceApiWeights.Load(WeightsManifest);
        var model = TinyFaceDetectorConverter.Convert(weights, S, exposeLayers: true);
        var random = new Random(7);
        var nhwc = new float[S * S * 3];
        for (var i = 0; i < nhwc.Length; i++)
        {
            nhwc[i] = (float)(random.NextDouble() - 0.5);
        }

        var nchw = new float[nhwc.Length];
        for (var y = 0; y < S; y++)
        {
            for (var x = 0; x < S; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    nchw[(c * S * S) + (y * S) + x] = nhwc[(((y * S) + x) * 3) + c];
                }
            }
        }

        // Reference forward pass (face-api TinyYolov2Base.runMobilenet).
        var reference = new Dictionary<string, Tensor>();
        var t = new Tensor(S, S, 3, nhwc);
        t = Leaky(ConvValid(t, weights["conv0/filters"], weights["conv0/bias"].Values));
        reference["conv0"] = t;
        for (var layer = 1; layer <= 5; layer++)
        {
            t = MaxPoolSame(t, 2);
            t = Leaky(Pointwise(Depthwise(t, weights[$"conv{layer}/depthwise_filter"].Values), weights[$"conv{layer}/pointwise_filter"], weights[$"conv{layer}/bias"].Values));
            reference[$"conv{layer}"] = t;
        }

        t = MaxPoolSame(t, 1);
        reference["pool5"] = t;
        reference[TinyFaceDetectorConverter.OutputName] = Pointwise(t, weights["conv8/filters"], weights["conv8/bias"].Values);

        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(nchw, [1, 3, S, S]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [TinyFaceDetectorConverter.InputName], [input], session.OutputNames);

        var names = session.OutputNames.ToList();
        foreach (var layer in TinyFaceDetectorConverter.LayerOutputs)
        {
            var expected = reference[layer];
            var value = outputs[names.IndexOf(layer)];
            var shape = value.GetTensorTypeAndShape().Shape;
            Assert.That(shape, Is.EqualTo(new long[] { 1, expected.C, expected.H, expected.W }), layer);
            var actual = value.GetTensorDataAsSpan<float>();
            var scale = expected.Data.Max(MathF.Abs);
            var worst = 0f;
            for (var y = 0; y < expected.H; y++)
            {
                for (var x = 0; x < expected.W; x++)
                {
                    for (var c = 0; c < expected.C; c++)
                    {
                        var diff = MathF.Abs(actual[(c * expected.H * expected.W) + (y * expected.W) + x] - expected[y, x, c]);
                        worst = MathF.Max(worst, diff);
                    }
                }
            }

            TestContext.Out.WriteLine($"{layer}: {ModelShapes.Format(shape)} max |x| {scale:0.###}, worst difference {worst:E2}");
            Assert.That(worst, Is.LessThan(1e-4f * Math.Max(1f, scale)), layer);
            Assert.That(scale, Is.GreaterThan(0.01f), $"{layer} is not all zeros");
        }
    }

    private static Tensor ConvValid(Tensor x, (int[] Shape, float[] Values) filter, float[] bias)
    {
        int kh = filter.Shape[0], kw = filter.Shape[1], cin = filter.Shape[2], cout = filter.Shape[3];
        var o = new Tensor(x.H - kh + 1, x.W - kw + 1, cout);
        for (var y = 0; y < o.H; y++)
        {
            for (var xx = 0; xx < o.W; xx++)
            {
                for (var k = 0; k < cout; k++)
                {
                    double sum = bias[k];
                    for (var i = 0; i < kh; i++)
                    {
                        for (var j = 0; j < kw; j++)
                        {
                            for (var c = 0; c < cin; c++)
                            {
                                sum += x[y + i, xx + j, c] * filter.Values[(((((i * kw) + j) * cin) + c) * cout) + k];
                            }
                        }
                    }

                    o[y, xx, k] = (float)sum;
                }
            }
        }

        return o;
    }

    /// <summary>tf.pad by 1 then a 3×3 depthwise 'valid' convolution, channel multiplier 1.</summary>
    private static Tensor Depthwise(Tensor x, float[] filter)
    {
        var o = new Tensor(x.H, x.W, x.C);
        for (var y = 0; y < x.H; y++)
        {
            for (var xx = 0; xx < x.W; xx++)
            {
                for (var c = 0; c < x.C; c++)
                {
                    double sum = 0;
                    for (var i = 0; i < 3; i++)
                    {
                        for (var j = 0; j < 3; j++)
                        {
                            int sy = y + i - 1, sx = xx + j - 1;
                            if (sy >= 0 && sy < x.H && sx >= 0 && sx < x.W)
                            {
                                sum += x[sy, sx, c] * filter[(((i * 3) + j) * x.C) + c];
                            }
                        }
                    }

                    o[y, xx, c] = (float)sum;
                }
            }
        }

        return o;
    }

    private static Tensor Pointwise(Tensor x, (int[] Shape, float[] Values) filter, float[] bias)
    {
        var cout = filter.Shape[3];
        var o = new Tensor(x.H, x.W, cout);
        for (var y = 0; y < x.H; y++)
        {
            for (var xx = 0; xx < x.W; xx++)
            {
                for (var k = 0; k < cout; k++)
                {
                    double sum = bias[k];
                    for (var c = 0; c < x.C; c++)
                    {
                        sum += x[y, xx, c] * filter.Values[(c * cout) + k];
                    }

                    o[y, xx, k] = (float)sum;
                }
            }
        }

        return o;
    }

    /// <summary>face-api's leaky: relu(x − 0.1x) + 0.1x.</summary>
    private static Tensor Leaky(Tensor x)
    {
        for (var i = 0; i < x.Data.Length; i++)
        {
            var min = x.Data[i] * 0.1f;
            x.Data[i] = Math.Max(x.Data[i] - min, 0) + min;
        }

        return x;
    }

    /// <summary>tf.maxPool 2×2, SAME: output ceil(n/s), padding split with the extra at the end, padding never wins.</summary>
    private static Tensor MaxPoolSame(Tensor x, int stride)
    {
        var oh = (x.H + stride - 1) / stride;
        var ow = (x.W + stride - 1) / stride;
        var padTop = Math.Max(((oh - 1) * stride) + 2 - x.H, 0) / 2;
        var padLeft = Math.Max(((ow - 1) * stride) + 2 - x.W, 0) / 2;
        var o = new Tensor(oh, ow, x.C);
        for (var y = 0; y < oh; y++)
        {
            for (var xx = 0; xx < ow; xx++)
            {
                for (var c = 0; c < x.C; c++)
                {
                    var max = float.NegativeInfinity;
                    for (var i = 0; i < 2; i++)
                    {
                        for (var j = 0; j < 2; j++)
                        {
                            int sy = (y * stride) + i - padTop, sx = (xx * stride) + j - padLeft;
                            if (sy >= 0 && sy < x.H && sx >= 0 && sx < x.W)
                            {
                                max = Math.Max(max, x[sy, sx, c]);
                            }
                        }
                    }

                    o[y, xx, c] = max;
                }
            }
        }

        return o;
    }

    private sealed class Tensor(int h, int w, int c, float[]? data = null)
    {
        public int H { get; } = h;

        public int W { get; } = w;

        public int C { get; } = c;

        public float[] Data { get; } = data ?? new float[h * w * c];

        public float this[int y, int x, int ch]
        {
            get => Data[(((y * W) + x) * C) + ch];
            set => Data[(((y * W) + x) * C) + ch] = value;
        }
    }
}
