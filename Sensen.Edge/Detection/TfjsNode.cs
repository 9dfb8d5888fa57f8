using System.Text;
using System.Text.Json;

namespace Sensen.Edge.Detection;

/// <summary>
/// One node of a TFJS graph model's <c>modelTopology</c> (a TensorFlow GraphDef in JSON): its name, op,
/// data inputs (control inputs, <c>^name</c>, are dropped) and attributes (<c>AttrValue</c> in proto3 JSON:
/// <c>i</c> and <c>list.i</c> are strings, <c>s</c> is base64).
/// </summary>
internal sealed class TfjsNode
{
    private readonly JsonElement _attr;

    public TfjsNode(string name, string op, IReadOnlyList<string> inputs, JsonElement attr)
    {
        Name = name;
        Op = op;
        Inputs = inputs;
        _attr = attr;
    }

    public string Name { get; }

    public string Op { get; }

    public IReadOnlyList<string> Inputs { get; }

    public bool Has(string name) => _attr.ValueKind == JsonValueKind.Object && _attr.TryGetProperty(name, out _);

    public string String(string name, string fallback = "")
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("s", out var s))
        {
            return fallback;
        }

        return Encoding.UTF8.GetString(Convert.FromBase64String(s.GetString() ?? ""));
    }

    public IReadOnlyList<string> Strings(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("list", out var list) || !list.TryGetProperty("s", out var s))
        {
            return [];
        }

        return [.. s.EnumerateArray().Select(e => Encoding.UTF8.GetString(Convert.FromBase64String(e.GetString() ?? "")))];
    }

    public long Int(string name, long fallback = 0) =>
        TryGet(name, out var a) && a.TryGetProperty("i", out var i) ? ParseLong(i) : fallback;

    public long[] Ints(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("list", out var list) || !list.TryGetProperty("i", out var i))
        {
            return [];
        }

        return [.. i.EnumerateArray().Select(ParseLong)];
    }

    public float Float(string name, float fallback = 0) =>
        TryGet(name, out var a) && a.TryGetProperty("f", out var f) ? f.GetSingle() : fallback;

    public bool Bool(string name, bool fallback = false) =>
        TryGet(name, out var a) && a.TryGetProperty("b", out var b) ? b.GetBoolean() : fallback;

    /// <summary>A <c>type</c> attribute (<c>DT_FLOAT</c>, <c>DT_INT32</c>, …), or <paramref name="fallback"/>.</summary>
    public string Type(string name, string fallback = "DT_FLOAT") =>
        TryGet(name, out var a) && a.TryGetProperty("type", out var t) ? t.GetString() ?? fallback : fallback;

    /// <summary>The <c>shape</c> attribute of a Placeholder (-1 for an unknown dimension), or null.</summary>
    public long[]? Shape(string name)
    {
        if (!TryGet(name, out var a) || !a.TryGetProperty("shape", out var shape))
        {
            return null;
        }

        return shape.TryGetProperty("dim", out var dims) ? [.. dims.EnumerateArray().Select(d => d.TryGetProperty("size", out var s) ? ParseLong(s) : -1)] : [];
    }

    /// <summary>The tensor shape a Const node declares in its <c>value</c> attribute, or null.</summary>
    public long[]? ValueShape()
    {
        if (!TryGet("value", out var a) || !a.TryGetProperty("tensor", out var tensor) || !tensor.TryGetProperty("tensorShape", out var shape))
        {
            return null;
        }

        return shape.TryGetProperty("dim", out var dims) ? [.. dims.EnumerateArray().Select(d => d.TryGetProperty("size", out var s) ? ParseLong(s) : -1)] : [];
    }

    public override string ToString() => $"node '{Name}' ({Op})";

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return _attr.ValueKind == JsonValueKind.Object && _attr.TryGetProperty(name, out value);
    }

    private static long ParseLong(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetInt64() : long.Parse(e.GetString() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
}
