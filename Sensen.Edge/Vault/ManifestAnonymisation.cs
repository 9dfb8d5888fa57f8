namespace Sensen.Edge.Vault;

/// <summary>What the clip path obscured in the clip (the Privacy stage's summary, as the manifest states it).</summary>
internal sealed record ManifestAnonymisation
{
    /// <summary>For callers that seal something other than a recorded clip (tools, tests): nothing was anonymised.</summary>
    public static ManifestAnonymisation None { get; } = new() { Frames = 0, FramesMaskedWhole = 0, FacesObscured = 0, PlatesObscured = 0, Method = "none" };

    public required int Frames { get; init; }

    public required int FramesMaskedWhole { get; init; }

    /// <summary>Why frames were masked whole: reason → frames.</summary>
    public IReadOnlyDictionary<string, int> MaskedWholeReasons { get; init; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    public required int FacesObscured { get; init; }

    public required int PlatesObscured { get; init; }

    public required string Method { get; init; }

    /// <summary>Model name → hex SHA-256 of every model the clip path ran.</summary>
    public IReadOnlyDictionary<string, string> Models { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
