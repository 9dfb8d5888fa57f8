using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Tracking;

/// <summary>
/// CLEAR-MOT and identity figures for a tracker run (Bernardin and Stiefelhagen 2008; Ristani et al. 2016):
/// per frame, ground truth is matched to tracker output at IoU ≥ 0.5, keeping last frame's pairs when they
/// still overlap; misses, false positives and identity switches give MOTA; IDF1 comes from the best
/// one-to-one truth↔track pairing over the whole run (greedy on co-occurrence, a lower bound of the optimum).
/// Fragmentations count how often a true object's coverage breaks off and resumes.
/// </summary>
internal sealed class TrackingScore
{
    private readonly Dictionary<int, long> _lastTrack = [];
    private readonly Dictionary<int, bool> _wasTracked = [];
    private readonly Dictionary<(int Truth, long Track), int> _together = [];

    public int TruthBoxes { get; private set; }

    public int TrackBoxes { get; private set; }

    public int Misses { get; private set; }

    public int FalsePositives { get; private set; }

    public int IdSwitches { get; private set; }

    public int Fragmentations { get; private set; }

    public double Mota => 1 - ((double)(Misses + FalsePositives + IdSwitches) / TruthBoxes);

    public double Idf1
    {
        get
        {
            var usedTruth = new HashSet<int>();
            var usedTrack = new HashSet<long>();
            var idtp = 0;
            foreach (var pair in _together.OrderByDescending(p => p.Value))
            {
                if (!usedTruth.Contains(pair.Key.Truth) && !usedTrack.Contains(pair.Key.Track))
                {
                    usedTruth.Add(pair.Key.Truth);
                    usedTrack.Add(pair.Key.Track);
                    idtp += pair.Value;
                }
            }

            return 2.0 * idtp / (TruthBoxes + TrackBoxes);
        }
    }

    public void Add(IReadOnlyList<(int Id, BoxF Box)> truth, IReadOnlyList<(long Id, BoxF Box)> tracks)
    {
        TruthBoxes += truth.Count;
        TrackBoxes += tracks.Count;
        var matchedTracks = new HashSet<long>();
        var pairs = new List<(int Truth, long Track)>();

        // Keep last frame's pair where it still holds (CLEAR MOT's correspondence persistence).
        var open = new List<(int Id, BoxF Box)>();
        foreach (var t in truth)
        {
            if (_lastTrack.TryGetValue(t.Id, out var previous) && tracks.Any(k => k.Id == previous && k.Box.IntersectionOverUnion(t.Box) >= 0.5) && matchedTracks.Add(previous))
            {
                pairs.Add((t.Id, previous));
            }
            else
            {
                open.Add(t);
            }
        }

        var candidates = open.SelectMany(t => tracks.Where(k => !matchedTracks.Contains(k.Id)).Select(k => (t.Id, k.Id, Iou: t.Box.IntersectionOverUnion(k.Box))))
            .Where(c => c.Iou >= 0.5).OrderByDescending(c => c.Iou).ToList();
        var matchedTruth = new HashSet<int>();
        foreach (var (truthId, trackId, _) in candidates)
        {
            if (!matchedTruth.Contains(truthId) && matchedTracks.Add(trackId))
            {
                matchedTruth.Add(truthId);
                pairs.Add((truthId, trackId));
            }
        }

        foreach (var (truthId, trackId) in pairs)
        {
            if (_lastTrack.TryGetValue(truthId, out var previous) && previous != trackId)
            {
                IdSwitches++;
            }

            _lastTrack[truthId] = trackId;
            _together[(truthId, trackId)] = _together.GetValueOrDefault((truthId, trackId)) + 1;
        }

        foreach (var t in truth)
        {
            var tracked = pairs.Exists(p => p.Truth == t.Id);
            if (!tracked)
            {
                Misses++;
            }

            if (tracked && _wasTracked.TryGetValue(t.Id, out var was) && !was)
            {
                Fragmentations++;
            }

            _wasTracked[t.Id] = tracked;
        }

        FalsePositives += tracks.Count - pairs.Count;
    }

    public string Pairs() => string.Join(" ", _together.OrderBy(p => p.Key.Truth).Select(p => $"{p.Key.Truth}:{p.Key.Track}={p.Value}"));

    public override string ToString() => FormattableString.Invariant(
        $"MOTA {Mota:0.000}, IDF1 {Idf1:0.000}, ID switches {IdSwitches}, fragmentations {Fragmentations}, misses {Misses}/{TruthBoxes}, false positives {FalsePositives}");
}
