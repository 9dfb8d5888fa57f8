namespace Sensen.Edge.Detection;

/// <summary>
/// A constant tensor of a TFJS graph model, decoded from its weight shards: float32 (dequantised where the
/// manifest quantised it) or int32. Exactly one of <see cref="Floats"/> and <see cref="Ints"/> is non-empty
/// unless the tensor has no elements.
/// </summary>
internal sealed record TfjsTensor(string Name, bool IsInt, long[] Shape, float[] Floats, int[] Ints)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public static TfjsTensor Float(string name, long[] shape, float[] values) => new(name, false, shape, values, []);

    public static TfjsTensor Int(string name, long[] shape, int[] values) => new(name, true, shape, [], values);

    /// <summary>The values as 64-bit integers (shapes, axes, slice bounds).</summary>
    public long[] AsLongs() => IsInt ? [.. Ints.Select(i => (long)i)] : [.. Floats.Select(f => (long)f)];
}
