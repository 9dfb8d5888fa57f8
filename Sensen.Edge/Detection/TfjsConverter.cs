using Onnx;

namespace Sensen.Edge.Detection;

/// <summary>
/// Converts a TensorFlow.js graph model into an ONNX graph (opset 13) with <see cref="OnnxGraphBuilder"/>.
/// Walks back from the requested outputs, so post-processing after them (TopKV2, GatherV2, NMS) is left out
/// and done in C#. TensorFlow is NHWC; ONNX convolutions, pools and resizes are NCHW: each value carries both
/// names and transposes are emitted only where a consumer needs the other layout. Padding follows TensorFlow
/// exactly (<c>tensorflow/core/framework/kernel_shape_util.cc</c> GetWindowedOutputSize: SAME gives
/// ceil(in / stride) outputs, the odd padding pixel at the end), written as explicit ONNX pads.
/// An op it does not know stops the conversion with its name and node, never a silently wrong graph.
/// Output is deterministic: nodes are emitted in a depth-first walk in input order, nothing else varies.
/// </summary>
internal sealed class TfjsConverter
{
    /// <summary>TensorFlow ops the converter translates.</summary>
    public static readonly IReadOnlyList<string> SupportedOps =
    [
        "Const", "Placeholder", "Identity", "StopGradient", "_FusedConv2D", "FusedDepthwiseConv2dNative", "Conv2D", "DepthwiseConv2dNative",
        "BiasAdd", "Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "Prelu", "Relu", "Relu6", "LeakyRelu", "Sigmoid", "Tanh",
        "Mean", "MaxPool", "AvgPool", "Pad", "PadV2", "ResizeBilinear", "ConcatV2", "Reshape", "Squeeze", "Transpose", "Split", "SplitV",
        "ExpandDims", "Cast", "StridedSlice", "DepthToSpace", "Shape", "Pack",
    ];

    private static readonly long[] ToNchwPerm = [0, 3, 1, 2];
    private static readonly long[] ToNhwcPerm = [0, 2, 3, 1];

    /// <summary>TensorFlow NHWC axis → the same axis in NCHW.</summary>
    private static readonly int[] NchwAxis = [0, 2, 3, 1];

    private readonly TfjsGraphModel _model;
    private readonly OnnxGraphBuilder _g;
    private readonly Dictionary<string, TfjsValue> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _visiting = new(StringComparer.Ordinal);
    private int _unique;

    private TfjsConverter(TfjsGraphModel model)
    {
        _model = model;
        _g = new OnnxGraphBuilder(System.IO.Path.GetFileNameWithoutExtension(model.Path));
    }

    /// <param name="model">The loaded graph model.</param>
    /// <param name="outputs">Tensor names to cut the graph at (<c>node</c> or <c>node:N</c>); the signature's outputs, or else every sink, when empty.</param>
    public static byte[] Convert(TfjsGraphModel model, IReadOnlyList<string>? outputs = null) => new TfjsConverter(model).Run(outputs);

    /// <summary>The outputs a conversion without <c>--outputs</c> produces.</summary>
    public static IReadOnlyList<string> DefaultOutputs(TfjsGraphModel model)
    {
        if (model.SignatureOutputs.Count > 0)
        {
            return model.SignatureOutputs;
        }

        var consumed = model.Nodes.SelectMany(n => n.Inputs).Select(i => Split(i).Node).ToHashSet(StringComparer.Ordinal);
        return [.. model.Nodes.Where(n => n.Op is not ("Const" or "Placeholder") && !consumed.Contains(n.Name)).Select(n => n.Name)];
    }

    private byte[] Run(IReadOnlyList<string>? requested)
    {
        var outputs = requested is { Count: > 0 } ? requested : DefaultOutputs(_model);
        foreach (var output in outputs)
        {
            var (node, index) = Split(output);
            var name = index == 0 ? node : $"{node}:{index}";
            var value = Get(output, null);
            if (value.IsInt)
            {
                throw Error($"output '{name}' is an int32 tensor; cut the graph at float tensors");
            }

            var onnx = Nhwc(value);
            if (onnx != name)
            {
                _g.AddNode("Identity", [onnx], name);
            }

            _g.AddOutput(name, value.Shape);
        }

        return _g.ToBytes("sensen-edge models convert-tfjs");
    }

    private static (string Node, int Index) Split(string tensor)
    {
        var colon = tensor.LastIndexOf(':');
        return colon > 0 && int.TryParse(tensor.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? (tensor[..colon], index)
            : (tensor, 0);
    }

    private static string Key(string node, int index) => $"{node}:{index}";

    private TfjsValue Get(string tensor, TfjsNode? consumer)
    {
        var (nodeName, index) = Split(tensor);
        if (_values.TryGetValue(Key(nodeName, index), out var known))
        {
            return known;
        }

        if (!_model.NodesByName.TryGetValue(nodeName, out var node))
        {
            throw Error(consumer is null ? $"output '{tensor}' is not a node of the graph" : $"{consumer} reads '{tensor}', which is not a node of the graph");
        }

        if (!_visiting.Add(nodeName))
        {
            throw Error($"{node} is part of a cycle");
        }

        ConvertNode(node);
        _visiting.Remove(nodeName);
        return _values.TryGetValue(Key(nodeName, index), out var value)
            ? value
            : throw Error($"{consumer?.ToString() ?? "an output"} reads output {index} of {node}, which has no such output");
    }

    private TfjsValue In(TfjsNode node, int i)
    {
        if (i >= node.Inputs.Count)
        {
            throw Error($"{node} has {node.Inputs.Count} inputs; input {i} is needed");
        }

        return Get(node.Inputs[i], node);
    }

    private TfjsTensor ConstIn(TfjsNode node, int i, string what) =>
        In(node, i).Constant ?? throw Error($"{node}: its {what} (input {i}, '{node.Inputs[i]}') must be a constant");

    private void Set(TfjsNode node, TfjsValue value, int index = 0) => _values[Key(node.Name, index)] = value;

    private void ConvertNode(TfjsNode node)
    {
        switch (node.Op)
        {
            case "Const":
                Const(node);
                break;
            case "Placeholder":
                Placeholder(node);
                break;
            case "Identity" or "StopGradient":
                Set(node, In(node, 0));
                break;
            case "_FusedConv2D":
                Conv(node, depthwise: false, fused: true);
                break;
            case "FusedDepthwiseConv2dNative":
                Conv(node, depthwise: true, fused: true);
                break;
            case "Conv2D":
                Conv(node, depthwise: false, fused: false);
                break;
            case "DepthwiseConv2dNative":
                Conv(node, depthwise: true, fused: false);
                break;
            case "Add" or "AddV2" or "BiasAdd":
                Binary(node, "Add");
                break;
            case "Sub":
                Binary(node, "Sub");
                break;
            case "Mul":
                Binary(node, "Mul");
                break;
            case "RealDiv":
                Binary(node, "Div");
                break;
            case "Maximum":
                Binary(node, "Max");
                break;
            case "Minimum":
                Binary(node, "Min");
                break;
            case "Prelu":
                Binary(node, "PRelu");
                break;
            case "Relu":
                Unary(node, "Relu");
                break;
            case "Relu6":
                Unary(node, "Clip", extraInputs: [FloatScalar("#zero", 0), FloatScalar("#six", 6)]);
                break;
            case "LeakyRelu":
                Unary(node, "LeakyRelu", [OnnxGraphBuilder.Float("alpha", node.Float("alpha", 0.2f))]);
                break;
            case "Sigmoid":
                Unary(node, "Sigmoid");
                break;
            case "Tanh":
                Unary(node, "Tanh");
                break;
            case "Mean":
                Mean(node);
                break;
            case "MaxPool":
                Pool(node, "MaxPool");
                break;
            case "AvgPool":
                Pool(node, "AveragePool");
                break;
            case "Pad" or "PadV2":
                Pad(node);
                break;
            case "ResizeBilinear":
                ResizeBilinear(node);
                break;
            case "ConcatV2":
                Concat(node);
                break;
            case "Reshape":
                Reshape(node);
                break;
            case "Squeeze":
                Squeeze(node);
                break;
            case "Transpose":
                Transpose(node);
                break;
            case "Split" or "SplitV":
                SplitOp(node);
                break;
            case "ExpandDims":
                ExpandDims(node);
                break;
            case "Cast":
                Cast(node);
                break;
            case "StridedSlice":
                StridedSlice(node);
                break;
            case "DepthToSpace":
                DepthToSpace(node);
                break;
            case "Shape":
                // Every shape is static here (fixed input, batch 1), so a Shape is a constant.
                var x = In(node, 0);
                Set(node, new TfjsValue([x.Rank], true, constant: TfjsTensor.Int(Unique(node.Name + "#shape"), [x.Rank], [.. x.Shape.Select(d => (int)d)])));
                break;
            case "Pack":
                Pack(node);
                break;
            default:
                throw Error($"{node}: op '{node.Op}' is not supported by convert-tfjs (supported: {string.Join(", ", SupportedOps)}); "
                    + "if it is post-processing, cut the graph before it with --outputs");
        }
    }

    private void Const(TfjsNode node)
    {
        if (!_model.Weights.TryGetValue(node.Name, out var tensor))
        {
            throw Error($"{node} has no tensor in weightsManifest");
        }

        var declared = node.ValueShape();
        if (declared is not null && !declared.SequenceEqual(tensor.Shape))
        {
            throw Error($"{node} declares shape {ModelShapes.Format(declared)} but weightsManifest gives '{node.Name}' shape {ModelShapes.Format(tensor.Shape)}");
        }

        Set(node, new TfjsValue(tensor.Shape, tensor.IsInt, constant: tensor));
    }

    private void Placeholder(TfjsNode node)
    {
        if (node.Type("dtype") != "DT_FLOAT")
        {
            throw Error($"{node} is {node.Type("dtype")}; only float inputs are supported");
        }

        var shape = node.Shape("shape") ?? throw Error($"{node} has no shape");
        if (shape.Length > 0 && shape[0] < 0)
        {
            shape[0] = 1;
        }

        if (shape.Any(d => d < 0))
        {
            throw Error($"{node} has shape {ModelShapes.Format(shape)}; the converter needs fixed dimensions (batch may be unknown)");
        }

        _g.AddInput(node.Name, shape);
        Set(node, new TfjsValue(shape, false, nhwc: node.Name));
    }

    private void Conv(TfjsNode node, bool depthwise, bool fused)
    {
        CheckNhwc(node);
        var x = In(node, 0);
        var filter = ConstIn(node, 1, "filter");
        if (x.Rank != 4 || filter.Shape.Length != 4)
        {
            throw Error($"{node}: input {x} and filter {ModelShapes.Format(filter.Shape)} must both have rank 4");
        }

        long kh = filter.Shape[0], kw = filter.Shape[1], cin = filter.Shape[2], cm = filter.Shape[3];
        if (cin != x.Shape[3])
        {
            throw Error($"{node}: filter '{filter.Name}' {ModelShapes.Format(filter.Shape)} expects {cin} input channels, but input '{node.Inputs[0]}' has shape {x}");
        }

        var strides = Attr4(node, "strides");
        var dilations = Attr4(node, "dilations");
        var (outH, top, bottom) = Window(node, x.Shape[1], kh, strides[1], dilations[1], 1);
        var (outW, left, right) = Window(node, x.Shape[2], kw, strides[2], dilations[2], 2);
        var cout = depthwise ? cin * cm : cm;

        // TensorFlow [kh, kw, in, out] → ONNX [out, in, kh, kw]; depthwise [kh, kw, C, M] → [C·M, 1, kh, kw]
        // (TensorFlow's output channel c·M + m reads input channel c, as ONNX groups of M do).
        var weightName = filter.Name + (depthwise ? "#depthwise" : "#oihw");
        if (_initializers.Add(weightName))
        {
            var w = new float[filter.Floats.Length];
            for (var i = 0; i < kh; i++)
            {
                for (var j = 0; j < kw; j++)
                {
                    for (var c = 0; c < cin; c++)
                    {
                        for (var o = 0; o < cm; o++)
                        {
                            var source = (((((i * kw) + j) * cin) + c) * cm) + o;
                            var target = depthwise
                                ? (((((c * cm) + o) * kh) + i) * kw) + j
                                : (((((o * cin) + c) * kh) + i) * kw) + j;
                            w[target] = filter.Floats[source];
                        }
                    }
                }
            }

            _g.AddInitializer(weightName, w, depthwise ? [cout, 1, kh, kw] : [cout, cin, kh, kw]);
        }

        var inputs = new List<string> { Nchw(x, node), weightName };
        var activations = new List<string>();
        if (fused)
        {
            var ops = node.Strings("fused_ops");
            var rest = ops.SkipWhile(o => o == "BiasAdd").ToList();
            if (ops.Count > 0 && ops[0] == "BiasAdd")
            {
                var bias = ConstIn(node, 2, "bias");
                if (bias.Count != cout)
                {
                    throw Error($"{node}: bias '{bias.Name}' has shape {ModelShapes.Format(bias.Shape)}, the convolution has {cout} output channels");
                }

                inputs.Add(Materialize(bias));
            }

            if (rest.Count > 1 || rest.Any(o => o is not ("Relu" or "Relu6" or "LeakyRelu" or "Prelu")))
            {
                throw Error($"{node}: fused_ops [{string.Join(", ", ops)}] are not supported (BiasAdd, then one of Relu, Relu6, LeakyRelu, Prelu)");
            }

            activations = rest;
        }

        var attributes = new List<AttributeProto>
        {
            OnnxGraphBuilder.Ints("kernel_shape", kh, kw),
            OnnxGraphBuilder.Ints("strides", strides[1], strides[2]),
            OnnxGraphBuilder.Ints("dilations", dilations[1], dilations[2]),
            OnnxGraphBuilder.Ints("pads", top, left, bottom, right),
        };
        if (depthwise)
        {
            attributes.Add(OnnxGraphBuilder.Int("group", cin));
        }

        var y = _g.AddNode("Conv", inputs, Unique(node.Name + "#conv"), [.. attributes]);
        long[] shape = [x.Shape[0], outH, outW, cout];
        foreach (var activation in activations)
        {
            y = activation switch
            {
                "Relu" => _g.AddNode("Relu", [y], Unique(node.Name + "#relu")),
                "Relu6" => _g.AddNode("Clip", [y, FloatScalar("#zero", 0), FloatScalar("#six", 6)], Unique(node.Name + "#relu6")),
                "LeakyRelu" => _g.AddNode("LeakyRelu", [y], Unique(node.Name + "#leaky"), OnnxGraphBuilder.Float("alpha", node.Float("leakyrelu_alpha", 0.2f))),
                _ => _g.AddNode("PRelu", [y, ConstNchw(node, ConstIn(node, 3, "prelu alpha"), shape)], Unique(node.Name + "#prelu")),
            };
        }

        Set(node, new TfjsValue(shape, false, nchw: y));
    }

    private void Pool(TfjsNode node, string onnxOp)
    {
        CheckNhwc(node);
        var x = In(node, 0);
        var k = Attr4(node, "ksize");
        var s = Attr4(node, "strides");
        if (x.Rank != 4 || k[0] != 1 || k[3] != 1 || s[0] != 1 || s[3] != 1)
        {
            throw Error($"{node}: only spatial pooling of rank-4 NHWC input is supported (input {x}, ksize {ModelShapes.Format(k)}, strides {ModelShapes.Format(s)})");
        }

        var (outH, top, bottom) = Window(node, x.Shape[1], k[1], s[1], 1, 1);
        var (outW, left, right) = Window(node, x.Shape[2], k[2], s[2], 1, 2);

        // ONNX pads of MaxPool are ignored and AveragePool's excluded (count_include_pad 0), as TensorFlow's SAME.
        var y = _g.AddNode(
            onnxOp,
            [Nchw(x, node)],
            Unique(node.Name + "#pool"),
            OnnxGraphBuilder.Ints("kernel_shape", k[1], k[2]),
            OnnxGraphBuilder.Ints("strides", s[1], s[2]),
            OnnxGraphBuilder.Ints("pads", top, left, bottom, right));
        Set(node, new TfjsValue([x.Shape[0], outH, outW, x.Shape[3]], false, nchw: y));
    }

    private void Binary(TfjsNode node, string onnxOp)
    {
        var a = In(node, 0);
        var b = In(node, 1);
        if (a.IsInt != b.IsInt)
        {
            throw Error($"{node}: operands mix int32 and float");
        }

        var shape = Broadcast(node, a.Shape, b.Shape);
        TfjsValue[] operands = [a, b];
        var runtime = operands.Where(v => v.Constant is null).ToList();
        var nchw = shape.Length == 4 && runtime.Count > 0
            && runtime.All(v => v.Rank == 4 && v.Nchw is not null)
            && operands.Where(v => v.Constant is not null).All(v => v.Rank is 0 or 1 or 4);
        if (nchw)
        {
            var y = _g.AddNode(onnxOp, [.. operands.Select(v => v.Constant is { } c ? ConstNchw(node, c, shape) : v.Nchw!)], Unique(node.Name + "#nchw"));
            Set(node, new TfjsValue(shape, a.IsInt, nchw: y));
        }
        else
        {
            Set(node, new TfjsValue(shape, a.IsInt, nhwc: _g.AddNode(onnxOp, [Nhwc(a), Nhwc(b)], Unique(node.Name))));
        }
    }

    private void Unary(TfjsNode node, string onnxOp, AttributeProto[]? attributes = null, string[]? extraInputs = null)
    {
        var x = In(node, 0);
        attributes ??= [];
        extraInputs ??= [];
        if (x.Nchw is not null)
        {
            Set(node, new TfjsValue(x.Shape, x.IsInt, nchw: _g.AddNode(onnxOp, [x.Nchw, .. extraInputs], Unique(node.Name + "#nchw"), attributes)));
        }
        else
        {
            Set(node, new TfjsValue(x.Shape, x.IsInt, nhwc: _g.AddNode(onnxOp, [Nhwc(x), .. extraInputs], Unique(node.Name), attributes)));
        }
    }

    private void Mean(TfjsNode node)
    {
        var x = In(node, 0);
        var axes = Axes(node, ConstIn(node, 1, "reduction indices").AsLongs(), x.Rank);
        var keep = node.Bool("keep_dims");
        var shape = Enumerable.Range(0, x.Rank).Where(i => keep || !axes.Contains(i)).Select(i => axes.Contains(i) ? 1 : x.Shape[i]).ToArray();
        var remaining = Enumerable.Range(0, x.Rank).Where(i => !axes.Contains(i)).ToList();

        // Reducing NCHW leaves the kept axes in NCHW order: the same as TensorFlow's unless channels and a spatial axis both remain.
        var sameOrder = keep || !(remaining.Contains(3) && (remaining.Contains(1) || remaining.Contains(2)));
        if (x.Rank == 4 && x.Nchw is not null && sameOrder)
        {
            var y = _g.AddNode("ReduceMean", [x.Nchw], Unique(node.Name + "#nchw"), OnnxGraphBuilder.Ints("axes", [.. axes.Select(a => (long)NchwAxis[a]).Order()]), OnnxGraphBuilder.Int("keepdims", keep ? 1 : 0));
            Set(node, keep ? new TfjsValue(shape, false, nchw: y) : new TfjsValue(shape, false, nhwc: y));
            return;
        }

        var z = _g.AddNode("ReduceMean", [Nhwc(x)], Unique(node.Name), OnnxGraphBuilder.Ints("axes", [.. axes.Select(a => (long)a)]), OnnxGraphBuilder.Int("keepdims", keep ? 1 : 0));
        Set(node, new TfjsValue(shape, false, nhwc: z));
    }

    private void Pad(TfjsNode node)
    {
        var x = In(node, 0);
        var paddings = ConstIn(node, 1, "paddings").AsLongs();
        if (paddings.Length != 2 * x.Rank || paddings.Any(p => p < 0))
        {
            throw Error($"{node}: paddings {ModelShapes.Format(paddings)} do not fit input {x} (need [{x.Rank}, 2], non-negative)");
        }

        var shape = Enumerable.Range(0, x.Rank).Select(i => x.Shape[i] + paddings[2 * i] + paddings[(2 * i) + 1]).ToArray();
        var value = node.Op == "PadV2" ? ConstIn(node, 2, "constant value") : null;
        var fill = value is null ? 0f : (value.IsInt ? value.Ints[0] : value.Floats[0]);
        var fillName = FloatScalar(fill == 0 ? "#zero" : Unique(node.Name + "#fill"), fill);
        var nchw = x.Rank == 4 && x.Nchw is not null;
        int[] order = nchw ? [0, 3, 1, 2] : [.. Enumerable.Range(0, x.Rank)];
        var pads = order.Select(i => paddings[2 * i]).Concat(order.Select(i => paddings[(2 * i) + 1])).ToArray();
        var padsName = Longs(Unique(node.Name + "#pads"), pads);
        var y = _g.AddNode("Pad", [nchw ? x.Nchw! : Nhwc(x), padsName, fillName], Unique(node.Name + (nchw ? "#nchw" : "")), OnnxGraphBuilder.String("mode", "constant"));
        Set(node, nchw ? new TfjsValue(shape, false, nchw: y) : new TfjsValue(shape, false, nhwc: y));
    }

    private void ResizeBilinear(TfjsNode node)
    {
        var x = In(node, 0);
        var size = ConstIn(node, 1, "size").AsLongs();
        if (x.Rank != 4 || size.Length != 2)
        {
            throw Error($"{node}: needs a rank-4 input and a size of two values (input {x}, size {ModelShapes.Format(size)})");
        }

        // TensorFlow's coordinate rules (image_resizer_state.h): align_corners maps corner pixel centres onto each
        // other, half_pixel_centers samples at (out + 0.5) · scale − 0.5, neither at out · scale.
        var mode = node.Bool("align_corners") ? "align_corners" : node.Bool("half_pixel_centers") ? "half_pixel" : "asymmetric";
        var sizes = Longs(Unique(node.Name + "#sizes"), [x.Shape[0], x.Shape[3], size[0], size[1]]);
        var y = _g.AddNode(
            "Resize",
            [Nchw(x, node), "", "", sizes],
            Unique(node.Name + "#nchw"),
            OnnxGraphBuilder.String("mode", "linear"),
            OnnxGraphBuilder.String("coordinate_transformation_mode", mode));
        Set(node, new TfjsValue([x.Shape[0], size[0], size[1], x.Shape[3]], false, nchw: y));
    }

    private void Concat(TfjsNode node)
    {
        var n = node.Inputs.Count - 1;
        var parts = Enumerable.Range(0, n).Select(i => In(node, i)).ToList();
        var rank = parts[0].Rank;
        var axis = Axes(node, ConstIn(node, n, "axis").AsLongs(), rank)[0];
        for (var i = 1; i < n; i++)
        {
            if (parts[i].Rank != rank || parts[i].IsInt != parts[0].IsInt || Enumerable.Range(0, rank).Any(d => d != axis && parts[i].Shape[d] != parts[0].Shape[d]))
            {
                throw Error($"{node}: input {i} has shape {parts[i]}, which does not concatenate with {parts[0]} on axis {axis}");
            }
        }

        var shape = (long[])parts[0].Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        var runtime = parts.Where(p => p.Constant is null).ToList();
        if (rank == 4 && runtime.Count > 0 && runtime.All(p => p.Nchw is not null))
        {
            var y = _g.AddNode("Concat", [.. parts.Select(p => Nchw(p, node))], Unique(node.Name + "#nchw"), OnnxGraphBuilder.Int("axis", NchwAxis[axis]));
            Set(node, new TfjsValue(shape, parts[0].IsInt, nchw: y));
            return;
        }

        var z = _g.AddNode("Concat", [.. parts.Select(Nhwc)], Unique(node.Name), OnnxGraphBuilder.Int("axis", axis));
        Set(node, new TfjsValue(shape, parts[0].IsInt, nhwc: z));
    }

    private void Reshape(TfjsNode node)
    {
        var x = In(node, 0);
        var target = ConstIn(node, 1, "shape").AsLongs();
        var count = x.Shape.Aggregate(1L, (a, b) => a * b);
        var known = target.Where(d => d >= 0).Aggregate(1L, (a, b) => a * b);
        var unknown = target.Count(d => d < 0);
        var shape = target.Select(d => d < 0 && known > 0 ? count / known : d).ToArray();
        if (unknown > 1 || shape.Aggregate(1L, (a, b) => a * b) != count)
        {
            throw Error($"{node}: cannot reshape {x} ({count} values) to {ModelShapes.Format(target)}");
        }

        var y = _g.AddNode("Reshape", [Nhwc(x), Longs(Unique(node.Name + "#shape"), shape)], Unique(node.Name));
        Set(node, new TfjsValue(shape, x.IsInt, nhwc: y));
    }

    private void Squeeze(TfjsNode node)
    {
        var x = In(node, 0);
        var dims = node.Ints("squeeze_dims");
        var axes = dims.Length > 0 ? Axes(node, dims, x.Rank) : [.. Enumerable.Range(0, x.Rank).Where(i => x.Shape[i] == 1)];
        if (axes.Any(a => x.Shape[a] != 1))
        {
            throw Error($"{node}: cannot squeeze axes [{string.Join(", ", axes)}] of {x}");
        }

        var shape = Enumerable.Range(0, x.Rank).Where(i => !axes.Contains(i)).Select(i => x.Shape[i]).ToArray();
        var y = _g.AddNode("Squeeze", [Nhwc(x), Longs(Unique(node.Name + "#axes"), [.. axes.Select(a => (long)a)])], Unique(node.Name));
        Set(node, new TfjsValue(shape, x.IsInt, nhwc: y));
    }

    private void Transpose(TfjsNode node)
    {
        var x = In(node, 0);
        var perm = ConstIn(node, 1, "permutation").AsLongs();
        if (perm.Length != x.Rank || perm.Order().Select((p, i) => p != i).Any(b => b))
        {
            throw Error($"{node}: permutation {ModelShapes.Format(perm)} does not fit input {x}");
        }

        var y = _g.AddNode("Transpose", [Nhwc(x)], Unique(node.Name), OnnxGraphBuilder.Ints("perm", perm));
        Set(node, new TfjsValue([.. perm.Select(p => x.Shape[p])], x.IsInt, nhwc: y));
    }

    private void SplitOp(TfjsNode node)
    {
        // Split(axis, value) with num_split equal parts; SplitV(value, size_splits, axis).
        var v = node.Op == "Split";
        var x = In(node, v ? 1 : 0);
        var axis = Axes(node, ConstIn(node, v ? 0 : 2, "axis").AsLongs(), x.Rank)[0];
        var n = (int)node.Int("num_split", 1);
        long[] sizes;
        if (v)
        {
            if (n <= 0 || x.Shape[axis] % n != 0)
            {
                throw Error($"{node}: cannot split {x} into {n} equal parts on axis {axis}");
            }

            sizes = [.. Enumerable.Repeat(x.Shape[axis] / n, n)];
        }
        else
        {
            sizes = ConstIn(node, 1, "size splits").AsLongs();
            var known = sizes.Where(s => s >= 0).Sum();
            sizes = [.. sizes.Select(s => s < 0 ? x.Shape[axis] - known : s)];
            if (sizes.Sum() != x.Shape[axis] || sizes.Any(s => s < 0))
            {
                throw Error($"{node}: size splits do not add up to dimension {axis} of {x}");
            }
        }

        var names = Enumerable.Range(0, sizes.Length).Select(i => Unique($"{node.Name}:{i}")).ToList();
        _g.AddNode("Split", [Nhwc(x), Longs(Unique(node.Name + "#split"), sizes)], names, OnnxGraphBuilder.Int("axis", axis));
        for (var i = 0; i < sizes.Length; i++)
        {
            var shape = (long[])x.Shape.Clone();
            shape[axis] = sizes[i];
            Set(node, new TfjsValue(shape, x.IsInt, nhwc: names[i]), i);
        }
    }

    private void ExpandDims(TfjsNode node)
    {
        var x = In(node, 0);
        var axis = Axes(node, ConstIn(node, 1, "axis").AsLongs(), x.Rank + 1)[0];
        var shape = x.Shape.Take(axis).Append(1).Concat(x.Shape.Skip(axis)).ToArray();
        var y = _g.AddNode("Unsqueeze", [Nhwc(x), Longs(Unique(node.Name + "#axes"), [axis])], Unique(node.Name));
        Set(node, new TfjsValue(shape, x.IsInt, nhwc: y));
    }

    private void Cast(TfjsNode node)
    {
        var x = In(node, 0);
        var to = node.Type("DstT");
        if (to is not ("DT_FLOAT" or "DT_INT32"))
        {
            throw Error($"{node}: casting to {to} is not supported (DT_FLOAT, DT_INT32)");
        }

        var isInt = to == "DT_INT32";
        var attribute = OnnxGraphBuilder.Int("to", isInt ? (int)TensorProto.Types.DataType.Int32 : (int)TensorProto.Types.DataType.Float);
        Set(node, x.Nchw is not null
            ? new TfjsValue(x.Shape, isInt, nchw: _g.AddNode("Cast", [x.Nchw], Unique(node.Name + "#nchw"), attribute))
            : new TfjsValue(x.Shape, isInt, nhwc: _g.AddNode("Cast", [Nhwc(x)], Unique(node.Name), attribute)));
    }

    private void Pack(TfjsNode node)
    {
        var parts = Enumerable.Range(0, node.Inputs.Count).Select(i => In(node, i)).ToList();
        var rank = parts[0].Rank;
        var axis = Axes(node, [node.Int("axis")], rank + 1)[0];
        if (parts.Any(p => !p.Shape.SequenceEqual(parts[0].Shape) || p.IsInt != parts[0].IsInt))
        {
            throw Error($"{node}: inputs of shapes {string.Join(", ", parts.Select(p => p.ToString()))} cannot be stacked");
        }

        long[] shape = [.. parts[0].Shape.Take(axis), parts.Count, .. parts[0].Shape.Skip(axis)];

        // Stacking scalars into a shape vector (Shape → StridedSlice → Pack → Reshape) folds to a constant.
        if (rank == 0 && parts.All(p => p.Constant is not null))
        {
            var tensor = parts[0].IsInt
                ? TfjsTensor.Int(Unique(node.Name + "#packed"), shape, [.. parts.Select(p => p.Constant!.Ints[0])])
                : TfjsTensor.Float(Unique(node.Name + "#packed"), shape, [.. parts.Select(p => p.Constant!.Floats[0])]);
            Set(node, new TfjsValue(shape, tensor.IsInt, constant: tensor));
            return;
        }

        var axes = Longs(Unique(node.Name + "#axes"), [axis]);
        var unsqueezed = parts.Select((p, i) => _g.AddNode("Unsqueeze", [Nhwc(p), axes], Unique($"{node.Name}#{i}"))).ToList();
        Set(node, new TfjsValue(shape, parts[0].IsInt, nhwc: _g.AddNode("Concat", unsqueezed, Unique(node.Name), OnnxGraphBuilder.Int("axis", axis))));
    }

    private void StridedSlice(TfjsNode node)
    {
        var x = In(node, 0);
        var begin = ConstIn(node, 1, "begin").AsLongs();
        var end = ConstIn(node, 2, "end").AsLongs();
        var strides = ConstIn(node, 3, "strides").AsLongs();
        if (x.Constant is { IsInt: true, Shape.Length: 1 } vector && begin.Length == 1 && node.Int("ellipsis_mask") == 0 && node.Int("new_axis_mask") == 0)
        {
            Set(node, FoldSlice(node, vector, begin[0], end[0], strides[0]));
            return;
        }

        if (node.Int("ellipsis_mask") != 0 || node.Int("new_axis_mask") != 0)
        {
            throw Error($"{node}: ellipsis_mask and new_axis_mask are not supported");
        }

        if (begin.Length != end.Length || begin.Length != strides.Length || begin.Length > x.Rank || strides.Any(s => s == 0))
        {
            throw Error($"{node}: begin, end and strides must have one non-zero stride per sliced axis of {x}");
        }

        long beginMask = node.Int("begin_mask"), endMask = node.Int("end_mask"), shrinkMask = node.Int("shrink_axis_mask");
        var shape = (long[])x.Shape.Clone();
        var starts = new long[begin.Length];
        var ends = new long[begin.Length];
        var shrink = new List<long>();
        for (var i = 0; i < begin.Length; i++)
        {
            var dim = x.Shape[i];
            var step = strides[i];
            if ((shrinkMask >> i & 1) != 0)
            {
                var b = begin[i] < 0 ? begin[i] + dim : begin[i];
                if (b < 0 || b >= dim)
                {
                    throw Error($"{node}: index {begin[i]} is outside dimension {i} of {x}");
                }

                (starts[i], ends[i], strides[i]) = (b, b + 1, 1);
                shape[i] = 1;
                shrink.Add(i);
                continue;
            }

            // The Python slice rule (tensorflow/core/util/strided_slice_op.cc): masked bounds cover the whole axis.
            var s = (beginMask >> i & 1) != 0 ? (step > 0 ? 0 : dim - 1) : Clamp(begin[i], dim, step);
            var e = (endMask >> i & 1) != 0 ? (step > 0 ? dim : -1) : Clamp(end[i], dim, step);
            shape[i] = step > 0 ? Math.Max(0, (e - s + step - 1) / step) : Math.Max(0, (s - e - step - 1) / -step);
            starts[i] = s;
            ends[i] = e < 0 ? long.MinValue : e;
        }

        var axes = Enumerable.Range(0, begin.Length).Select(i => (long)i).ToArray();
        var y = _g.AddNode(
            "Slice",
            [Nhwc(x), Longs(Unique(node.Name + "#starts"), starts), Longs(Unique(node.Name + "#ends"), ends), Longs(Unique(node.Name + "#axes"), axes), Longs(Unique(node.Name + "#steps"), strides)],
            Unique(node.Name + (shrink.Count > 0 ? "#slice" : "")));
        if (shrink.Count > 0)
        {
            y = _g.AddNode("Squeeze", [y, Longs(Unique(node.Name + "#shrink"), [.. shrink])], Unique(node.Name));
            shape = [.. shape.Where((_, i) => !shrink.Contains(i))];
        }

        Set(node, new TfjsValue(shape, x.IsInt, nhwc: y));
    }

    /// <summary>A strided slice of a constant int vector (a shape), computed here.</summary>
    private TfjsValue FoldSlice(TfjsNode node, TfjsTensor vector, long begin, long end, long step)
    {
        var dim = vector.Ints.Length;
        if ((node.Int("shrink_axis_mask") & 1) != 0)
        {
            var index = begin < 0 ? begin + dim : begin;
            if (index < 0 || index >= dim)
            {
                throw Error($"{node}: index {begin} is outside the {dim} values of '{vector.Name}'");
            }

            return new TfjsValue([], true, constant: TfjsTensor.Int(Unique(node.Name + "#folded"), [], [vector.Ints[index]]));
        }

        if (step == 0)
        {
            throw Error($"{node}: stride 0");
        }

        var s = (node.Int("begin_mask") & 1) != 0 ? (step > 0 ? 0 : dim - 1) : Clamp(begin, dim, step);
        var e = (node.Int("end_mask") & 1) != 0 ? (step > 0 ? dim : -1) : Clamp(end, dim, step);
        var values = new List<int>();
        for (var i = s; step > 0 ? i < e : i > e; i += step)
        {
            values.Add(vector.Ints[i]);
        }

        return new TfjsValue([values.Count], true, constant: TfjsTensor.Int(Unique(node.Name + "#folded"), [values.Count], [.. values]));
    }

    private void DepthToSpace(TfjsNode node)
    {
        CheckNhwc(node);
        var x = In(node, 0);
        var b = node.Int("block_size");
        if (x.Rank != 4 || b < 2 || x.Shape[3] % (b * b) != 0)
        {
            throw Error($"{node}: block size {b} does not fit input {x}");
        }

        // TensorFlow's NHWC order, depth index (i·b + j)·C' + c, is ONNX's DCR mode.
        var y = _g.AddNode("DepthToSpace", [Nchw(x, node)], Unique(node.Name + "#nchw"), OnnxGraphBuilder.Int("blocksize", b), OnnxGraphBuilder.String("mode", "DCR"));
        Set(node, new TfjsValue([x.Shape[0], x.Shape[1] * b, x.Shape[2] * b, x.Shape[3] / (b * b)], false, nchw: y));
    }

    private static long Clamp(long index, long dim, long step)
    {
        if (index < 0)
        {
            index += dim;
        }

        return step > 0 ? Math.Clamp(index, 0, dim) : Math.Clamp(index, -1, dim - 1);
    }

    /// <summary>Output size and padding of one spatial axis (TensorFlow GetWindowedOutputSize).</summary>
    private (long Out, long Before, long After) Window(TfjsNode node, long input, long kernel, long stride, long dilation, int axis)
    {
        var effective = ((kernel - 1) * dilation) + 1;
        var padding = node.String("padding", "VALID");
        switch (padding)
        {
            case "SAME":
            {
                var output = (input + stride - 1) / stride;
                var total = Math.Max(((output - 1) * stride) + effective - input, 0);
                return (output, total / 2, total - (total / 2));
            }

            case "VALID" when input >= effective:
                return (((input - effective) / stride) + 1, 0, 0);
            case "EXPLICIT":
            {
                var p = node.Ints("explicit_paddings");
                if (p.Length != 8)
                {
                    throw Error($"{node}: explicit_paddings must hold 8 values");
                }

                var (before, after) = (p[2 * axis], p[(2 * axis) + 1]);
                return (((input + before + after - effective) / stride) + 1, before, after);
            }

            case "VALID":
                throw Error($"{node}: window {effective} is larger than the input ({input}) with VALID padding");
            default:
                throw Error($"{node}: padding '{padding}' is not supported (SAME, VALID, EXPLICIT)");
        }
    }

    private long[] Attr4(TfjsNode node, string name)
    {
        var v = node.Ints(name);
        if (v.Length == 0)
        {
            return [1, 1, 1, 1];
        }

        return v.Length == 4 ? v : throw Error($"{node}: {name} must hold 4 values (NHWC), has {v.Length}");
    }

    private void CheckNhwc(TfjsNode node)
    {
        var format = node.String("data_format", "NHWC");
        if (format != "NHWC")
        {
            throw Error($"{node}: data_format {format} is not supported (NHWC)");
        }
    }

    private int[] Axes(TfjsNode node, long[] axes, int rank)
    {
        var result = axes.Select(a => (int)(a < 0 ? a + rank : a)).ToArray();
        return result.Length > 0 && result.All(a => a >= 0 && a < rank) ? result : throw Error($"{node}: axes [{string.Join(", ", axes)}] do not fit rank {rank}");
    }

    private long[] Broadcast(TfjsNode node, long[] a, long[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var shape = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw Error($"{node}: shapes {ModelShapes.Format(a)} and {ModelShapes.Format(b)} do not broadcast");
            }

            shape[i] = Math.Max(da, db);
        }

        return shape;
    }

    /// <summary>The ONNX name of a value in TensorFlow's layout, emitting its initializer or transpose on first use.</summary>
    private string Nhwc(TfjsValue v)
    {
        if (v.Nhwc is null)
        {
            v.Nhwc = v.Constant is { } c
                ? Materialize(c)
                : _g.AddNode("Transpose", [v.Nchw!], Unique(v.Nchw! + "#nhwc"), OnnxGraphBuilder.Ints("perm", ToNhwcPerm));
        }

        return v.Nhwc;
    }

    /// <summary>The ONNX name of a rank-4 value in NCHW, emitting the transpose on first use.</summary>
    private string Nchw(TfjsValue v, TfjsNode node)
    {
        if (v.Rank != 4)
        {
            throw Error($"{node}: needs a rank-4 NHWC input, got {v}");
        }

        if (v.Nchw is null)
        {
            v.Nchw = v.Constant is { } c
                ? ConstNchw(node, c, v.Shape)
                : _g.AddNode("Transpose", [Nhwc(v)], Unique(v.Nhwc + "#nchw"), OnnxGraphBuilder.Ints("perm", ToNchwPerm));
        }

        return v.Nchw;
    }

    /// <summary>A constant operand of an NCHW op: scalars as they are, per-channel vectors as [C,1,1], rank 4 transposed.</summary>
    private string ConstNchw(TfjsNode node, TfjsTensor c, long[] against)
    {
        var rank = c.Shape.Length;
        if (rank == 0)
        {
            return Materialize(c);
        }

        var name = c.Name + "#nchw";
        if (_initializers.Contains(name))
        {
            return name;
        }

        if (rank == 1 && c.IsInt)
        {
            throw Error($"{node}: int32 per-channel constants are not supported in NCHW");
        }

        if (rank == 1)
        {
            _initializers.Add(name);
            _g.AddInitializer(name, c.Floats, c.Shape[0], 1, 1);
            return name;
        }

        if (rank != 4 || c.IsInt)
        {
            throw Error($"{node}: constant '{c.Name}' {ModelShapes.Format(c.Shape)} cannot be laid out as NCHW against {ModelShapes.Format(against)}");
        }

        long n = c.Shape[0], h = c.Shape[1], w = c.Shape[2], ch = c.Shape[3];
        var t = new float[c.Floats.Length];
        for (var b = 0; b < n; b++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    for (var k = 0; k < ch; k++)
                    {
                        t[(((((b * ch) + k) * h) + y) * w) + x] = c.Floats[(((((b * h) + y) * w) + x) * ch) + k];
                    }
                }
            }
        }

        _initializers.Add(name);
        _g.AddInitializer(name, t, n, ch, h, w);
        return name;
    }

    private string Materialize(TfjsTensor c)
    {
        if (_initializers.Add(c.Name))
        {
            if (c.IsInt)
            {
                _g.AddInitializer(c.Name, c.Ints, c.Shape);
            }
            else
            {
                _g.AddInitializer(c.Name, c.Floats, c.Shape);
            }
        }

        return c.Name;
    }

    private string FloatScalar(string name, float value)
    {
        if (_initializers.Add(name))
        {
            _g.AddInitializer(name, [value]);
        }

        return name;
    }

    private string Longs(string name, long[] values)
    {
        _initializers.Add(name);
        _g.AddInitializer(name, values, values.Length);
        return name;
    }

    /// <summary>A fresh ONNX name: '#' never occurs in TensorFlow node names, so suffixes cannot collide with them.</summary>
    private string Unique(string name) => _initializers.Contains(name) || _values.ContainsKey(Key(name, 0)) ? $"{name}#{_unique++}" : name;

    private ModelException Error(string message) => new($"{_model.Path}: {message}");
}
