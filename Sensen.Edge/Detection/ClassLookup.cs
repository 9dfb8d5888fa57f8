namespace Sensen.Edge.Detection;

/// <summary>Model class index → project class, as an array lookup; unmapped indices are skipped by decoders.</summary>
internal sealed class ClassLookup
{
    private readonly int[] _map;

    public ClassLookup(int numClasses, IEnumerable<ClassMapEntry> entries)
    {
        _map = Enumerable.Repeat(-1, numClasses).ToArray();
        foreach (var entry in entries)
        {
            _map[entry.Index] = (int)entry.Class;
        }
    }

    public int Count => _map.Length;

    public bool TryGet(int index, out ObjectClass value)
    {
        var mapped = _map[index];
        value = (ObjectClass)Math.Max(mapped, 0);
        return mapped >= 0;
    }

    public static ClassLookup For(ModelManifest manifest) => new(manifest.NumClasses, manifest.Classes);
}
