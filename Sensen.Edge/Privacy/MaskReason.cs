namespace Sensen.Edge.Privacy;

/// <summary>Why a clip frame was masked whole: the <c>reason</c> tag and the summary's keys.</summary>
internal static class MaskReason
{
    /// <summary>The live path did not analyse the frame (interval skip, detector fault): nothing says where its objects are.</summary>
    public const string NotAnalysed = "not_analysed";

    /// <summary>A clip-path model threw on the frame.</summary>
    public const string ModelFailed = "model_failed";

    /// <summary>The clip ended before the frame's look-ahead arrived.</summary>
    public const string LookAheadCut = "look_ahead_cut";
}
