using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Sensen.Edge.Detection;

/// <summary>
/// Writes small ONNX graphs with OnnxSharp's protobuf types: the face-api converter's output, and the
/// constant-output graphs the decoder tests run through ONNX Runtime. Output is byte-for-byte deterministic
/// for the same calls (protobuf serialises fields in number order; nothing time- or host-dependent is written).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>ONNX opset 13: everything used here (Conv, MaxPool, LeakyRelu, Pad, Identity) is stable in it.</summary>
    public const int Opset = 13;

    private readonly GraphProto _graph;
    private int _nodes;

    public OnnxGraphBuilder(string name)
    {
        _graph = new GraphProto { Name = name };
    }

    public void AddInput(string name, params long[] shape) => _graph.Input.Add(ValueInfo(name, shape));

    /// <summary>A graph input with symbolic dimensions where <paramref name="shape"/> holds a negative value.</summary>
    public void AddOutput(string name, params long[] shape) => _graph.Output.Add(ValueInfo(name, shape));

    public void AddInitializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);

        // raw_data is little-endian IEEE 754 (onnx.proto3, TensorProto.raw_data).
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        _graph.Initializer.Add(tensor);
    }

    public void AddInitializer(string name, ReadOnlySpan<long> values, params long[] dims) =>
        AddRawInitializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), dims);

    public void AddInitializer(string name, ReadOnlySpan<int> values, params long[] dims) =>
        AddRawInitializer(name, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(values), dims);

    public string AddNode(string opType, IEnumerable<string> inputs, string output, params AttributeProto[] attributes) =>
        AddNode(opType, inputs, [output], attributes)[0];

    /// <summary>A node with several outputs (Split); an empty input name stands for an omitted optional input.</summary>
    public IReadOnlyList<string> AddNode(string opType, IEnumerable<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType.ToLowerInvariant()}_{_nodes++}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private void AddRawInitializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> littleEndian, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(littleEndian);
        _graph.Initializer.Add(tensor);
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Tensor(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
    }

    public byte[] ToBytes(string producer = "sensen-edge")
    {
        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = producer,
            ProducerVersion = "1",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    private static ValueInfoProto ValueInfo(string name, long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        for (var i = 0; i < shape.Length; i++)
        {
            tensorShape.Dim.Add(shape[i] >= 0
                ? new TensorShapeProto.Types.Dimension { DimValue = shape[i] }
                : new TensorShapeProto.Types.Dimension { DimParam = $"d{i}" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }
}
