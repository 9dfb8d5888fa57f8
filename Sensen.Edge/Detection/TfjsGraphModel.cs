using System.Text.Json;

namespace Sensen.Edge.Detection;

/// <summary>
/// A TensorFlow.js graph model: <c>model.json</c> (<c>format: graph-model</c>; <c>modelTopology</c> is a
/// GraphDef of nodes, <c>weightsManifest</c> lists the constant tensors) and its binary weight shards.
/// Weights are decoded as tfjs-core's <c>io.decodeWeights</c> does: a group's shards are read back to back,
/// float32 and int32 little-endian; <c>quantization</c> uint8/uint16 as <c>q × scale + min</c> (rounded for
/// int32), float16 as IEEE half precision. Every problem is a <see cref="ModelException"/> naming the file.
/// </summary>
internal sealed class TfjsGraphModel
{
    private TfjsGraphModel(string path, IReadOnlyList<TfjsNode> nodes, IReadOnlyDictionary<string, TfjsTensor> weights, IReadOnlyList<string> signatureOutputs)
    {
        Path = path;
        Nodes = nodes;
        NodesByName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        Weights = weights;
        SignatureOutputs = signatureOutputs;
    }

    public string Path { get; }

    /// <summary>Nodes in file order.</summary>
    public IReadOnlyList<TfjsNode> Nodes { get; }

    public IReadOnlyDictionary<string, TfjsNode> NodesByName { get; }

    public IReadOnlyDictionary<string, TfjsTensor> Weights { get; }

    /// <summary>Output tensor names from <c>signature.outputs</c>, in file order; empty when the file has none.</summary>
    public IReadOnlyList<string> SignatureOutputs { get; }

    public static TfjsGraphModel Load(string modelJson)
    {
        if (!File.Exists(modelJson))
        {
            throw new ModelException($"{modelJson} does not exist");
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllBytes(modelJson));
        }
        catch (JsonException e)
        {
            throw new ModelException($"{modelJson}: not JSON: {e.Message}");
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("modelTopology", out var topology) || !topology.TryGetProperty("node", out var nodeArray))
            {
                throw new ModelException($"{modelJson}: not a TFJS graph model (no modelTopology.node)");
            }

            if (root.TryGetProperty("format", out var format) && format.GetString() is { } f && f != "graph-model")
            {
                throw new ModelException($"{modelJson}: format '{f}' is not a graph model (layers models are not supported)");
            }

            var nodes = new List<TfjsNode>();
            foreach (var n in nodeArray.EnumerateArray())
            {
                var inputs = n.TryGetProperty("input", out var i)
                    ? i.EnumerateArray().Select(e => e.GetString()!).Where(s => !s.StartsWith('^')).ToList()
                    : [];
                var attr = n.TryGetProperty("attr", out var a) ? a.Clone() : default;
                nodes.Add(new TfjsNode(n.GetProperty("name").GetString()!, n.GetProperty("op").GetString()!, inputs, attr));
            }

            var outputs = new List<string>();
            if (root.TryGetProperty("signature", out var signature) && signature.TryGetProperty("outputs", out var so) && so.ValueKind == JsonValueKind.Object)
            {
                outputs.AddRange(so.EnumerateObject().Select(p => p.Value.TryGetProperty("name", out var name) ? name.GetString()! : p.Name));
            }

            var weights = root.TryGetProperty("weightsManifest", out var manifest)
                ? ReadWeights(modelJson, manifest)
                : new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
            return new TfjsGraphModel(modelJson, nodes, weights, outputs);
        }
    }

    private static Dictionary<string, TfjsTensor> ReadWeights(string modelJson, JsonElement manifest)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(modelJson))!;
        var tensors = new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
        foreach (var group in manifest.EnumerateArray())
        {
            var paths = group.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!).ToList();
            using var bytes = new MemoryStream();
            foreach (var p in paths)
            {
                var shard = System.IO.Path.Combine(directory, p);
                if (!File.Exists(shard))
                {
                    throw new ModelException($"{modelJson}: weight shard {shard} does not exist");
                }

                using var s = File.OpenRead(shard);
                s.CopyTo(bytes);
            }

            var data = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
            var shardNames = string.Join(", ", paths);
            var offset = 0;
            foreach (var w in group.GetProperty("weights").EnumerateArray())
            {
                var name = w.GetProperty("name").GetString()!;
                long[] shape = [.. w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
                var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
                var dtype = w.GetProperty("dtype").GetString();
                if (dtype is not ("float32" or "int32"))
                {
                    throw new ModelException($"{modelJson}: weight '{name}' has dtype {dtype}; float32 and int32 are supported");
                }

                string? q = null;
                double scale = 1, min = 0;
                if (w.TryGetProperty("quantization", out var quantization))
                {
                    q = quantization.GetProperty("dtype").GetString();
                    if (q is "uint8" or "uint16")
                    {
                        scale = quantization.GetProperty("scale").GetDouble();
                        min = quantization.GetProperty("min").GetDouble();
                    }
                    else if (q != "float16")
                    {
                        throw new ModelException($"{modelJson}: weight '{name}' is quantised as {q}; uint8, uint16 and float16 are supported");
                    }
                }

                var width = q switch { "uint8" => 1, "uint16" or "float16" => 2, _ => 4 };
                var size = (long)count * width;
                if (offset + size > data.Length)
                {
                    throw new ModelException($"{modelJson}: weight '{name}' needs bytes {offset}..{offset + size} of {shardNames}, which hold {data.Length} (truncated or wrong weight shard)");
                }

                var raw = data.Slice(offset, (int)size);
                offset += (int)size;
                tensors[name] = Decode(name, shape, count, dtype == "int32", q, scale, min, raw);
            }

            if (offset != data.Length)
            {
                throw new ModelException($"{modelJson}: the weights of {shardNames} take {offset} bytes but the shards hold {data.Length} (wrong weight shard)");
            }
        }

        return tensors;
    }

    private static TfjsTensor Decode(string name, long[] shape, int count, bool isInt, string? q, double scale, double min, ReadOnlySpan<byte> raw)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = q switch
            {
                "uint8" => (raw[i] * scale) + min,
                "uint16" => (BitConverter.ToUInt16(raw.Slice(2 * i, 2)) * scale) + min,
                "float16" => (double)BitConverter.ToHalf(raw.Slice(2 * i, 2)),
                _ when isInt => BitConverter.ToInt32(raw.Slice(4 * i, 4)),
                _ => BitConverter.ToSingle(raw.Slice(4 * i, 4)),
            };
        }

        return isInt
            ? TfjsTensor.Int(name, shape, [.. values.Select(v => (int)Math.Floor(v + 0.5))]) // JavaScript Math.round
            : TfjsTensor.Float(name, shape, [.. values.Select(v => (float)v)]);
    }
}
