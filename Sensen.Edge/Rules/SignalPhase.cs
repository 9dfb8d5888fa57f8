namespace Sensen.Edge.Rules;

/// <summary>
/// A traffic signal's phase as the rules see it. A lamp region watches only the red lamp, so it can say
/// <see cref="Red"/> or <see cref="NotRed"/>; a signal controller's feed can say all three colours.
/// </summary>
internal enum SignalPhase
{
    /// <summary>Not yet known, or the source went quiet: no red-light event can be raised.</summary>
    Unknown,
    Green,
    Amber,
    Red,

    /// <summary>The red lamp is dark (green or amber; a lamp region cannot tell which).</summary>
    NotRed,
}
