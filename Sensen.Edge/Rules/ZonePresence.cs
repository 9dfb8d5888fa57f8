namespace Sensen.Edge.Rules;

/// <summary>
/// A track's time in a zone, tolerant of its box jittering over the edge: it has left only after being seen
/// outside for longer than a grace period. Not being seen at all (an occlusion) is neither in nor out.
/// </summary>
internal struct ZonePresence
{
    private DateTimeOffset? _outsideSince;

    /// <summary>When the current stay began; null when outside.</summary>
    public DateTimeOffset? EnteredAt { get; private set; }

    /// <summary>Takes one frame's observation; true when this frame ended a stay.</summary>
    public bool Update(bool inside, DateTimeOffset now, TimeSpan grace)
    {
        if (inside)
        {
            _outsideSince = null;
            EnteredAt ??= now;
            return false;
        }

        if (EnteredAt is null)
        {
            return false;
        }

        _outsideSince ??= now;
        if (now - _outsideSince.Value <= grace)
        {
            return false;
        }

        EnteredAt = null;
        _outsideSince = null;
        return true;
    }
}
