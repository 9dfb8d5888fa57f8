namespace Sensen.Edge.Recording;

/// <summary>A camera's ingest counters at one instant; a clip's stream health is the difference between its open and its close.</summary>
internal readonly record struct StreamCounters(long Dropped, long Reconnects, long Stalls)
{
    public static StreamCounters operator -(StreamCounters a, StreamCounters b) =>
        new(Math.Max(0, a.Dropped - b.Dropped), Math.Max(0, a.Reconnects - b.Reconnects), Math.Max(0, a.Stalls - b.Stalls));
}
