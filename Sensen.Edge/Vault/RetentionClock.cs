namespace Sensen.Edge.Vault;

/// <summary>
/// The vault's own account of elapsed time, so retention does not rest on the wall clock alone (docs/VAULT.md,
/// Retention). It adds up monotonic time while the vault is open, persisted in the database, plus the gaps
/// between runs that a synchronised clock vouches for (at most <see cref="MaxCreditedGap"/> each). A wall clock
/// that jumps forward (a bad RTC, a wrong NTP answer) therefore cannot age evidence: the observed time does
/// not move with it.
/// </summary>
internal sealed class RetentionClock
{
    /// <summary>Longest downtime credited on the wall clock's word; a unit off for longer keeps evidence longer (the safe side).</summary>
    public static readonly TimeSpan MaxCreditedGap = TimeSpan.FromDays(7);

    /// <summary>Slack for the observed time lost when the process died before persisting it (it is persisted hourly and on every open and close).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromHours(2);

    private readonly TimeProvider _time;
    private readonly Func<bool> _synchronized;
    private TimeSpan _base;
    private long _start;

    public RetentionClock(TimeProvider time, Func<bool> synchronized)
    {
        _time = time;
        _synchronized = synchronized;
        _start = time.GetTimestamp();
    }

    /// <summary>Observed running time of this vault, across restarts.</summary>
    public TimeSpan Elapsed => _base + _time.GetElapsedTime(_start);

    public bool IsSynchronized => _synchronized();

    /// <summary>Resumes from the persisted state; returns the gap that was not credited (zero when none), for the alarm.</summary>
    public TimeSpan Resume(TimeSpan persistedElapsed, DateTimeOffset? lastHeartbeat)
    {
        _base = persistedElapsed;
        _start = _time.GetTimestamp();
        if (lastHeartbeat is not { } heartbeat)
        {
            return TimeSpan.Zero;
        }

        var gap = _time.GetUtcNow() - heartbeat;
        if (gap <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        if (IsSynchronized && gap <= MaxCreditedGap)
        {
            _base += gap;
            return TimeSpan.Zero;
        }

        return gap;
    }

    /// <summary>Why an item past its wall-clock retention must still be kept, or null when it may expire.</summary>
    public string? Distrust(EvidenceRecord record, TimeSpan retention)
    {
        if (!IsSynchronized)
        {
            return "clock_not_synchronised";
        }

        return Elapsed - record.SealedElapsed + Tolerance < retention ? "clock_disagrees" : null;
    }
}
