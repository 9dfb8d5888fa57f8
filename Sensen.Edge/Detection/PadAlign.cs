namespace Sensen.Edge.Detection;

/// <summary>Where a letterboxed picture sits inside the model input.</summary>
internal enum PadAlign
{
    /// <summary>Centred, padding split on both sides (Ultralytics).</summary>
    Center,

    /// <summary>Top-left, all padding right and below (face-api's <c>padToSquare</c>).</summary>
    TopLeft,
}
