using System.Text;
using System.Text.Json.Nodes;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// Writes small TFJS graph models (model.json + one weight shard) for converter tests: nodes with
/// GraphDef-in-JSON attributes, constants in the weights manifest, optionally quantised.
/// </summary>
internal sealed class TfjsModelWriter
{
    private readonly JsonArray _nodes = [];
    private readonly JsonArray _weights = [];
    private readonly List<byte> _data = [];

    public void Placeholder(string name, params long[] shape) =>
        _nodes.Add(new JsonObject
        {
            ["name"] = name,
            ["op"] = "Placeholder",
            ["attr"] = new JsonObject
            {
                ["dtype"] = Type("DT_FLOAT"),
                ["shape"] = new JsonObject { ["shape"] = new JsonObject { ["dim"] = new JsonArray([.. shape.Select(d => (JsonNode)new JsonObject { ["size"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture) })]) } },
            },
        });

    /// <summary>A float32 constant; <paramref name="declared"/> overrides the shape the node itself states.</summary>
    public void Const(string name, float[] values, long[] shape, long[]? declared = null)
    {
        AddConstNode(name, "DT_FLOAT", declared ?? shape);
        _weights.Add(new JsonObject { ["name"] = name, ["shape"] = Dims(shape), ["dtype"] = "float32" });
        _data.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>A float32 constant stored as uint8, decoded q × scale + min.</summary>
    public void ConstUint8(string name, byte[] quantised, double scale, double min, params long[] shape)
    {
        AddConstNode(name, "DT_FLOAT", shape);
        _weights.Add(new JsonObject
        {
            ["name"] = name,
            ["shape"] = Dims(shape),
            ["dtype"] = "float32",
            ["quantization"] = new JsonObject { ["dtype"] = "uint8", ["scale"] = scale, ["min"] = min },
        });
        _data.AddRange(quantised);
    }

    public void ConstInt(string name, int[] values, params long[] shape)
    {
        AddConstNode(name, "DT_INT32", shape);
        _weights.Add(new JsonObject { ["name"] = name, ["shape"] = Dims(shape), ["dtype"] = "int32" });
        _data.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public void Node(string name, string op, string[] inputs, JsonObject? attr = null)
    {
        attr ??= [];
        if (!attr.ContainsKey("T"))
        {
            attr["T"] = Type("DT_FLOAT");
        }

        _nodes.Add(new JsonObject { ["name"] = name, ["op"] = op, ["input"] = new JsonArray([.. inputs.Select(i => (JsonNode)i)]), ["attr"] = attr });
    }

    /// <summary>Writes DIR/NAME.json and DIR/NAME.bin; <paramref name="truncateShardTo"/> cuts the shard short.</summary>
    public string Write(string directory, string name, int? truncateShardTo = null)
    {
        Directory.CreateDirectory(directory);
        byte[] bytes = [.. _data];
        File.WriteAllBytes(Path.Combine(directory, name + ".bin"), truncateShardTo is { } n ? bytes[..n] : bytes);
        var json = new JsonObject
        {
            ["format"] = "graph-model",
            ["generatedBy"] = "sensen-edge tests",
            ["modelTopology"] = new JsonObject { ["node"] = _nodes.DeepClone(), ["library"] = new JsonObject(), ["versions"] = new JsonObject() },
            ["weightsManifest"] = new JsonArray(new JsonObject { ["paths"] = new JsonArray(name + ".bin"), ["weights"] = _weights.DeepClone() }),
        };
        var path = Path.Combine(directory, name + ".json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    public static JsonObject Type(string type) => new() { ["type"] = type };

    public static JsonObject Ints(params long[] values) => new() { ["list"] = new JsonObject { ["i"] = new JsonArray([.. values.Select(v => (JsonNode)v.ToString(System.Globalization.CultureInfo.InvariantCulture))]) } };

    public static JsonObject Int(long value) => new() { ["i"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static JsonObject Str(string value) => new() { ["s"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };

    public static JsonObject Strs(params string[] values) => new() { ["list"] = new JsonObject { ["s"] = new JsonArray([.. values.Select(v => (JsonNode)Convert.ToBase64String(Encoding.UTF8.GetBytes(v)))]) } };

    public static JsonObject Bool(bool value) => new() { ["b"] = value };

    public static JsonObject Float(float value) => new() { ["f"] = value };

    private static JsonArray Dims(long[] shape) => new([.. shape.Select(d => (JsonNode)d)]);

    private void AddConstNode(string name, string dtype, long[] shape) =>
        _nodes.Add(new JsonObject
        {
            ["name"] = name,
            ["op"] = "Const",
            ["attr"] = new JsonObject
            {
                ["dtype"] = Type(dtype),
                ["value"] = new JsonObject { ["tensor"] = new JsonObject { ["dtype"] = dtype, ["tensorShape"] = new JsonObject { ["dim"] = new JsonArray([.. shape.Select(d => (JsonNode)new JsonObject { ["size"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture) })]) } } },
            },
        });
}
