namespace Sensen.Edge.Privacy;

/// <summary>What the clip path did to one clip, for its manifest and the counters.</summary>
internal sealed record AnonymisationSummary
{
    public int Frames { get; init; }

    /// <summary>Frames blanked whole because the anonymiser could not run on them (fail closed).</summary>
    public int FramesMaskedWhole { get; init; }

    /// <summary>Why frames were masked whole: reason → count (<c>not_analysed</c>, <c>model_failed</c>, <c>look_ahead_cut</c>, ...).</summary>
    public IReadOnlyDictionary<string, int> MaskedWholeReasons { get; init; } = new Dictionary<string, int>();

    /// <summary>Face and head regions obscured, summed over frames.</summary>
    public int FacesObscured { get; init; }

    /// <summary>Plate and text regions obscured, summed over frames.</summary>
    public int PlatesObscured { get; init; }

    /// <summary>The obscuring method in force (<c>fill</c>, <c>mosaic</c>, ...).</summary>
    public string Method { get; init; } = "";

    /// <summary>Model name → hex SHA-256 of every model the clip path ran.</summary>
    public IReadOnlyDictionary<string, string> Models { get; init; } = new Dictionary<string, string>();
}
