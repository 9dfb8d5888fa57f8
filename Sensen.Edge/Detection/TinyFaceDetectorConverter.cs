using Onnx;

namespace Sensen.Edge.Detection;

/// <summary>
/// Converts face-api's TinyFaceDetector (a TinyYOLOv2 with depthwise-separable convolutions) to ONNX.
/// Architecture from face-api <c>TinyYolov2Base.runMobilenet</c> with <c>isFirstLayerConv2d</c>:
/// conv0 3×3 valid + leaky(0.1); five times [maxpool 2×2/2 SAME, separable conv 3×3 (pad 1) + bias + leaky];
/// maxpool 2×2/1 SAME; conv8 1×1 valid → 5 anchors × (x, y, w, h, score). TensorFlow SAME pooling pads at the
/// end only, which ONNX expresses with explicit asymmetric pads. Input is NCHW RGB already normalised as
/// (pixel − meanRgb) / 255, which the manifest's mean/std do; output <c>[1, 25, S/32, S/32]</c> raw logits.
/// </summary>
internal static class TinyFaceDetectorConverter
{
    public const string InputName = "input";
    public const string OutputName = "grid";

    /// <summary>face-api <c>tinyFaceDetector/const.ts</c> BOX_ANCHORS, in grid cells.</summary>
    public static readonly double[] Anchors = [1.603231, 2.094468, 6.041143, 7.080126, 2.882459, 3.518061, 4.266906, 5.178857, 9.041765, 10.66308];

    /// <summary>face-api MEAN_RGB.</summary>
    public static readonly double[] MeanRgb = [117.001, 114.697, 97.404];

    private const float LeakyAlpha = 0.1f;

    /// <summary>Layer outputs, in order; tests compare each with an independent computation.</summary>
    public static readonly string[] LayerOutputs = ["conv0", "conv1", "conv2", "conv3", "conv4", "conv5", "pool5", OutputName];

    /// <param name="weights">The TinyFaceDetector weights.</param>
    /// <param name="inputSize">Square input side; a multiple of 32 (face-api uses 416 by default, 128–608 typical).</param>
    /// <param name="exposeLayers">Also output every layer (named as <see cref="LayerOutputs"/>), for verification.</param>
    public static byte[] Convert(FaceApiWeights weights, int inputSize = 416, bool exposeLayers = false)
    {
        if (inputSize < 64 || inputSize % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "input size must be a multiple of 32, at least 64");
        }

        var g = new OnnxGraphBuilder("tiny_face_detector");
        g.AddInput(InputName, 1, 3, inputSize, inputSize);
        var shapes = new List<(string Name, long[] Shape)>();

        // conv0: full 3×3 convolution, 'valid' (no padding), then leaky.
        var x = Conv(g, weights, "conv0", InputName, depthwise: false, pad: 0);
        x = g.AddNode("LeakyRelu", [x], "conv0", OnnxGraphBuilder.Float("alpha", LeakyAlpha));
        var size = inputSize - 2;
        var channels = 16;
        shapes.Add(("conv0", [1, channels, size, size]));

        for (var layer = 1; layer <= 5; layer++)
        {
            (x, size) = MaxPoolSame(g, x, size, stride: 2, $"pool{layer - 1}");
            var dw = Conv(g, weights, $"conv{layer}/depthwise_filter", x, depthwise: true, pad: 1);
            var pw = Conv(g, weights, $"conv{layer}/pointwise_filter", dw, depthwise: false, pad: 0, bias: $"conv{layer}/bias");
            x = g.AddNode("LeakyRelu", [pw], $"conv{layer}", OnnxGraphBuilder.Float("alpha", LeakyAlpha));
            channels *= 2;
            shapes.Add(($"conv{layer}", [1, channels, size, size]));
        }

        (x, size) = MaxPoolSame(g, x, size, stride: 1, "pool5");
        shapes.Add(("pool5", [1, channels, size, size]));
        Conv(g, weights, "conv8", x, depthwise: false, pad: 0, output: OutputName);
        var outChannels = weights["conv8/filters"].Shape[3];
        g.AddOutput(OutputName, 1, outChannels, size, size);
        if (exposeLayers)
        {
            foreach (var (name, shape) in shapes)
            {
                g.AddOutput(name, shape);
            }
        }

        return g.ToBytes("sensen-edge models convert-face-api");
    }

    private static (string Output, int Size) MaxPoolSame(OnnxGraphBuilder g, string x, int size, int stride, string name)
    {
        // TensorFlow SAME: out = ceil(in / stride), total padding (out-1)*stride + k - in, the odd one at the end.
        var output = (size + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + 2 - size, 0);
        var before = total / 2;
        var after = total - before;
        var node = g.AddNode(
            "MaxPool",
            [x],
            name,
            OnnxGraphBuilder.Ints("kernel_shape", 2, 2),
            OnnxGraphBuilder.Ints("strides", stride, stride),
            OnnxGraphBuilder.Ints("pads", before, before, after, after));
        return (node, output);
    }

    private static string Conv(OnnxGraphBuilder g, FaceApiWeights weights, string filterName, string x, bool depthwise, int pad, string? bias = null, string? output = null)
    {
        var prefix = filterName.Split('/')[0];
        if (!depthwise && filterName == prefix)
        {
            filterName = $"{prefix}/filters";
            bias = $"{prefix}/bias";
        }

        var (shape, tf) = weights[filterName];
        int kh = shape[0], kw = shape[1], cin = shape[2], cout = shape[3];

        // TensorFlow [kh, kw, in, out] → ONNX [out, in, kh, kw]; depthwise [kh, kw, C, 1] → [C, 1, kh, kw].
        long[] dims = depthwise ? [cin, 1, kh, kw] : [cout, cin, kh, kw];
        var onnx = new float[tf.Length];
        for (var i = 0; i < kh; i++)
        {
            for (var j = 0; j < kw; j++)
            {
                for (var c = 0; c < cin; c++)
                {
                    for (var o = 0; o < cout; o++)
                    {
                        var source = (((((i * kw) + j) * cin) + c) * cout) + o;
                        var target = depthwise
                            ? (((c * kh) + i) * kw) + j
                            : (((((o * cin) + c) * kh) + i) * kw) + j;
                        onnx[target] = tf[source];
                    }
                }
            }
        }

        var weightName = filterName.Replace('/', '_');
        g.AddInitializer(weightName, onnx, dims);
        var inputs = new List<string> { x, weightName };
        if (bias is not null)
        {
            var (_, b) = weights[bias];
            var biasName = bias.Replace('/', '_');
            g.AddInitializer(biasName, b, b.Length);
            inputs.Add(biasName);
        }

        var attributes = new List<AttributeProto>
        {
            OnnxGraphBuilder.Ints("kernel_shape", kh, kw),
            OnnxGraphBuilder.Ints("pads", pad, pad, pad, pad),
            OnnxGraphBuilder.Ints("strides", 1, 1),
        };
        if (depthwise)
        {
            attributes.Add(OnnxGraphBuilder.Int("group", cin));
        }

        return g.AddNode("Conv", inputs, output ?? $"{weightName}_out", [.. attributes]);
    }
}
