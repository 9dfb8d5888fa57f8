namespace Sensen.Edge.Telemetry;

/// <summary>
/// Nonces of commands accepted within the freshness window, per operator. Bounded: entries whose issued_at fell
/// out of the window are evicted (such a command is refused as expired anyway); when the cache is still full,
/// new commands are refused as busy rather than forgetting a nonce that could still be replayed.
/// </summary>
internal sealed class NonceCache
{
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly Lock _gate = new();

    public NonceCache(int capacity) => _capacity = capacity;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <param name="oldestValid">Entries issued before this are dropped first.</param>
    public NonceOutcome TryAdd(string operatorId, string nonce, DateTimeOffset issuedAt, DateTimeOffset oldestValid)
    {
        var key = operatorId + "\n" + nonce;
        lock (_gate)
        {
            if (_seen.ContainsKey(key))
            {
                return NonceOutcome.Replayed;
            }

            if (_seen.Count >= _capacity)
            {
                foreach (var stale in _seen.Where(p => p.Value < oldestValid).Select(p => p.Key).ToList())
                {
                    _seen.Remove(stale);
                }

                if (_seen.Count >= _capacity)
                {
                    return NonceOutcome.Full;
                }
            }

            _seen.Add(key, issuedAt);
            return NonceOutcome.Added;
        }
    }
}
