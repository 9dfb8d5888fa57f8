namespace Sensen.Edge.Telemetry;

/// <summary>
/// What the watchdog asks before it pings: has every stage made progress, or is it in a state where waiting is
/// right (a camera reconnecting, a detection loop with no frame to take, the uplink waiting for its broker)?
/// A stage registers a progress counter and a "waiting" predicate; a stage that is not waiting and whose
/// counter has not moved for longer than its allowance is stuck. Stages with no counter of their own beat a
/// <see cref="LivenessProbe"/>.
/// </summary>
internal sealed class Liveness
{
    /// <summary>The environment variable of the test seam: the named probe wedges (never leaves its work) when busy.</summary>
    public const string WedgeVariable = "SENSEN_EDGE_TEST_WEDGE";

    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly string? _wedged;

    /// <param name="wedged">The probe the test seam wedges (<see cref="WedgeVariable"/>), or null.</param>
    public Liveness(string? wedged = null)
    {
        _wedged = string.IsNullOrEmpty(wedged) ? null : wedged;
    }

    public static Liveness FromEnvironment() => new(Environment.GetEnvironmentVariable(WedgeVariable));

    /// <summary>The stages registered so far, in registration order.</summary>
    public IReadOnlyList<string> Stages
    {
        get
        {
            lock (_lock)
            {
                return _entries.Select(e => e.Stage).ToList();
            }
        }
    }

    /// <summary>Watches a stage through a counter that moves whenever it makes progress.</summary>
    /// <param name="stage">A name an operator recognises (<c>detect cam-north</c>).</param>
    /// <param name="progress">Grows with every unit of work done.</param>
    /// <param name="waiting">True while the stage rightly makes no progress (nothing to do, backing off).</param>
    /// <param name="allowance">The least time without progress that counts as stuck, whatever the watchdog interval.</param>
    public void Register(string stage, Func<long> progress, Func<bool> waiting, TimeSpan allowance = default)
    {
        lock (_lock)
        {
            _entries.Add(new Entry(stage, progress, waiting, allowance));
        }
    }

    /// <summary>A probe for a stage that has no counter of its own: it beats around each unit of work.</summary>
    public LivenessProbe Probe(string stage, TimeSpan allowance = default)
    {
        var probe = new LivenessProbe(stage, string.Equals(stage, _wedged, StringComparison.Ordinal));
        Register(stage, () => probe.Beats, () => !probe.IsBusy, allowance);
        return probe;
    }

    /// <summary>
    /// Reads every stage at <paramref name="now"/> and returns those stuck for longer than
    /// max(<paramref name="stuckAfter"/>, their allowance), with how long each has been stuck.
    /// </summary>
    public IReadOnlyList<(string Stage, TimeSpan Since)> Check(DateTimeOffset now, TimeSpan stuckAfter)
    {
        var stuck = new List<(string, TimeSpan)>();
        lock (_lock)
        {
            foreach (var entry in _entries)
            {
                var progress = entry.Progress();
                if (entry.LastSeen is null || progress != entry.LastProgress || entry.Waiting())
                {
                    entry.LastProgress = progress;
                    entry.LastSeen = now;
                    continue;
                }

                var since = now - entry.LastSeen.Value;
                if (since > (entry.Allowance > stuckAfter ? entry.Allowance : stuckAfter))
                {
                    stuck.Add((entry.Stage, since));
                }
            }
        }

        return stuck;
    }

    private sealed class Entry(string stage, Func<long> progress, Func<bool> waiting, TimeSpan allowance)
    {
        public string Stage { get; } = stage;

        public Func<long> Progress { get; } = progress;

        public Func<bool> Waiting { get; } = waiting;

        public TimeSpan Allowance { get; } = allowance;

        public long LastProgress { get; set; }

        public DateTimeOffset? LastSeen { get; set; }
    }
}
