using Sensen.Edge.Privacy;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Recording;

/// <summary>
/// What a clip's raw frames showed, gathered as they pass to the anonymiser: frame count, analysed frames, the
/// time lost to gaps in the stream (a gap over twice the frame interval counts beyond one interval), and per
/// offending track where it was first and last seen.
/// </summary>
internal sealed class ClipStatistics
{
    private readonly TimeSpan _interval;
    private readonly Dictionary<long, Offender> _offenders = [];
    private TimeSpan? _lastPts;

    public ClipStatistics(double fps)
    {
        _interval = TimeSpan.FromSeconds(1 / Math.Max(0.1, fps));
    }

    public int Frames { get; private set; }

    public int Analysed { get; private set; }

    public TimeSpan Stalled { get; private set; }

    public DateTimeOffset? FirstTime { get; private set; }

    public DateTimeOffset? LastTime { get; private set; }

    public void Observe(ClipFrame frame, IReadOnlyDictionary<long, IReadOnlyList<Tracking.TrackPoint>> offenders)
    {
        Frames++;
        if (frame.Analysed)
        {
            Analysed++;
        }

        FirstTime ??= frame.Time.Wall;
        LastTime = frame.Time.Wall;
        if (_lastPts is { } last && frame.Time.Pts - last > 2 * _interval)
        {
            Stalled += frame.Time.Pts - last - _interval;
        }

        _lastPts = frame.Time.Pts;
        foreach (var box in frame.Tracks)
        {
            if (!offenders.ContainsKey(box.TrackId))
            {
                continue;
            }

            if (!_offenders.TryGetValue(box.TrackId, out var o))
            {
                o = new Offender { Class = box.Class, FirstSeen = frame.Time.Wall, FirstBox = box.Box };
                _offenders[box.TrackId] = o;
            }

            o.Frames++;
            o.LastSeen = frame.Time.Wall;
            o.LastBox = box.Box;
        }
    }

    /// <summary>The offenders' summaries, in track order; an offender the clip never showed is left out.</summary>
    public IReadOnlyList<ManifestOffender> Offenders() =>
        [.. _offenders.OrderBy(p => p.Key).Select(p => new ManifestOffender
        {
            TrackId = p.Key,
            Class = p.Value.Class.ToString().ToLowerInvariant(),
            Frames = p.Value.Frames,
            FirstSeen = SealingFormat.Timestamp(p.Value.FirstSeen),
            LastSeen = SealingFormat.Timestamp(p.Value.LastSeen),
            FirstBox = Box(p.Value.FirstBox),
            LastBox = Box(p.Value.LastBox),
        })];

    private static ManifestBox Box(Detection.BoxF b) => new((int)MathF.Round(b.X1), (int)MathF.Round(b.Y1), (int)MathF.Round(b.X2), (int)MathF.Round(b.Y2));

    private sealed class Offender
    {
        public Detection.ObjectClass Class { get; init; }

        public int Frames { get; set; }

        public DateTimeOffset FirstSeen { get; init; }

        public DateTimeOffset LastSeen { get; set; }

        public Detection.BoxF FirstBox { get; init; }

        public Detection.BoxF LastBox { get; set; }
    }
}
