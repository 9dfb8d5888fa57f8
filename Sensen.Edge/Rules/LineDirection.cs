namespace Sensen.Edge.Rules;

/// <summary>
/// Which way across a line counts: <c>forward</c> is from its left side to its right side, looking from
/// <c>from</c> towards <c>to</c> (in the image, y down); <c>backward</c> the other way.
/// </summary>
internal enum LineDirection
{
    Forward,
    Backward,
}
