using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Rules;

/// <summary>A polygon in normalised image coordinates (0..1, origin top-left), so it survives a resolution change.</summary>
internal sealed record ZoneOptions
{
    [Required]
    public string Id { get; init; } = "";

    [Required]
    public IReadOnlyList<NormalizedPoint> Polygon { get; init; } = [];
}
