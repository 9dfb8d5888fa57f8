using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Rules;

/// <summary>
/// A directed segment in normalised coordinates. Crossing it from its left side to its right side
/// (looking from <c>from</c> towards <c>to</c>) is the forward direction.
/// </summary>
internal sealed record LineOptions
{
    [Required]
    public string Id { get; init; } = "";

    [Required]
    public NormalizedPoint From { get; init; }

    [Required]
    public NormalizedPoint To { get; init; }
}
