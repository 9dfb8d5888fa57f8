using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Detection;

/// <summary>One model class index and the project class it stands for; unmapped indices are ignored.</summary>
internal sealed record ClassMapEntry
{
    [Range(0, 10_000)]
    public int Index { get; init; }

    public ObjectClass Class { get; init; }
}
