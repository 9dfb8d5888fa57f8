using System.Text.Json;

namespace Sensen.Edge.Detection;

/// <summary>
/// A face-api / TensorFlow.js weights file: a JSON manifest (<c>*-weights_manifest.json</c>) naming each
/// tensor's shape and quantisation, and the binary shards holding them back to back in manifest order.
/// uint8 weights decode as <c>q × scale + min</c> (tfjs-core <c>io.decodeWeights</c>).
/// </summary>
internal sealed class FaceApiWeights
{
    private readonly Dictionary<string, (int[] Shape, float[] Values)> _tensors;

    private FaceApiWeights(Dictionary<string, (int[] Shape, float[] Values)> tensors)
    {
        _tensors = tensors;
    }

    public IEnumerable<string> Names => _tensors.Keys;

    public static FaceApiWeights Load(string manifestPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using var json = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        var tensors = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        foreach (var group in json.RootElement.EnumerateArray())
        {
            var bytes = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => File.ReadAllBytes(Path.Combine(directory, Path.GetFileName(p.GetString()!))))
                .ToArray();
            var offset = 0;
            foreach (var weight in group.GetProperty("weights").EnumerateArray())
            {
                var name = weight.GetProperty("name").GetString()!;
                var shape = weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                var count = shape.Aggregate(1, (a, b) => a * b);
                var values = new float[count];
                if (weight.TryGetProperty("quantization", out var q))
                {
                    var dtype = q.GetProperty("dtype").GetString();
                    if (dtype != "uint8")
                    {
                        throw new ModelException($"{manifestPath}: {name} is quantised as {dtype}; only uint8 is supported");
                    }

                    var scale = q.GetProperty("scale").GetDouble();
                    var min = q.GetProperty("min").GetDouble();
                    Need(bytes, offset, count, manifestPath, name);
                    for (var i = 0; i < count; i++)
                    {
                        values[i] = (float)((bytes[offset + i] * scale) + min);
                    }

                    offset += count;
                }
                else
                {
                    if (weight.GetProperty("dtype").GetString() != "float32")
                    {
                        throw new ModelException($"{manifestPath}: {name} is not float32");
                    }

                    Need(bytes, offset, count * 4, manifestPath, name);
                    Buffer.BlockCopy(bytes, offset, values, 0, count * 4);
                    offset += count * 4;
                }

                tensors.Add(name, (shape, values));
            }

            if (offset != bytes.Length)
            {
                throw new ModelException($"{manifestPath}: the weights take {offset} bytes but the shards hold {bytes.Length}");
            }
        }

        return new FaceApiWeights(tensors);
    }

    /// <summary>A tensor in TensorFlow's layout (filters are [kh, kw, in, out], depthwise [kh, kw, in, 1]).</summary>
    public (int[] Shape, float[] Values) this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new ModelException($"the weights have no tensor '{name}'");

    private static void Need(byte[] bytes, int offset, int count, string manifestPath, string name)
    {
        if (offset + count > bytes.Length)
        {
            throw new ModelException($"{manifestPath}: the weight shards end before {name}");
        }
    }
}
