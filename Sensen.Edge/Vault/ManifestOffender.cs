namespace Sensen.Edge.Vault;

/// <summary>An offending track over the clip: where it was first and last seen in the clip's frames, and on how many.</summary>
internal sealed record ManifestOffender
{
    public required long TrackId { get; init; }

    public required string Class { get; init; }

    /// <summary>Clip frames on which the tracker had a box for the track.</summary>
    public required int Frames { get; init; }

    public required string FirstSeen { get; init; }

    public required string LastSeen { get; init; }

    public required ManifestBox FirstBox { get; init; }

    public required ManifestBox LastBox { get; init; }
}
