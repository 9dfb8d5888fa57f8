namespace Sensen.Edge.Vault;

/// <summary>The best read of an offender's plate across the clip.</summary>
internal sealed record ManifestPlate
{
    public required long TrackId { get; init; }

    public required string Text { get; init; }

    /// <summary>The recogniser's score in thousandths.</summary>
    public required int ConfidencePermille { get; init; }

    /// <summary>The frame it was read on (the camera's frame sequence number).</summary>
    public required long FrameSequence { get; init; }
}
