namespace Sensen.Edge.Privacy;

/// <summary>What an obscured region is, for the counters (<c>kind</c> tag of <c>sensen.edge.privacy.regions_obscured</c>).</summary>
internal enum RegionKind
{
    Face,
    Head,
    Plate,
}
