namespace Sensen.Edge.Recording;

/// <summary>
/// The wall-clock span a clip covers (docs/RECORDING.md, "Windows"): from <c>pre_roll_seconds</c> before the
/// offence began to <c>post_roll_seconds</c> after the rule decided, never longer than <c>max_clip_seconds</c>
/// (<see cref="Limit"/>). An event of the same camera whose own window begins before the clip ends, and whose
/// decision falls within the limit, is merged: the clip ends at the later post-roll, capped by the limit.
/// </summary>
/// <param name="Start">First instant covered.</param>
/// <param name="End">Last instant covered: the first frame after it closes the clip.</param>
/// <param name="Limit">Start + <c>max_clip_seconds</c>: no merge extends the clip past it.</param>
internal readonly record struct ClipWindow(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Limit)
{
    public static ClipWindow For(DateTimeOffset offenceStart, DateTimeOffset decided, RecordingOptions options)
    {
        var end = decided + TimeSpan.FromSeconds(options.PostRollSeconds);
        var start = (offenceStart <= decided ? offenceStart : decided) - TimeSpan.FromSeconds(options.PreRollSeconds);
        var max = TimeSpan.FromSeconds(options.MaxClipSeconds);

        // A long offence (a 60 s dwell) does not fit whole: the clip keeps the decision and its post-roll.
        if (end - start > max)
        {
            start = end - max;
        }

        return new ClipWindow(start, end, start + max);
    }

    public bool Covers(DateTimeOffset time) => time >= Start && time <= End;

    /// <summary>The window with another event of the same camera merged in, or false when it does not overlap or does not fit.</summary>
    public bool TryMerge(DateTimeOffset offenceStart, DateTimeOffset decided, RecordingOptions options, out ClipWindow merged)
    {
        var own = For(offenceStart, decided, options);
        if (own.Start > End || decided > Limit)
        {
            merged = this;
            return false;
        }

        var end = own.End > End ? own.End : End;
        merged = this with { End = end > Limit ? Limit : end };
        return true;
    }
}
