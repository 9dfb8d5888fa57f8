namespace Sensen.Edge.Uplink;

/// <summary>
/// A token bucket of <c>uplink.bandwidth_bytes_per_second</c>, one second deep, on the injected clock.
/// <see cref="DelayFor"/> is pure arithmetic (tested directly); the caller waits that long on the same clock.
/// </summary>
internal sealed class BandwidthLimiter
{
    private readonly long _bytesPerSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public BandwidthLimiter(long bytesPerSecond, TimeProvider time)
    {
        _bytesPerSecond = bytesPerSecond;
        _time = time;
        _tokens = bytesPerSecond;
        _last = time.GetTimestamp();
    }

    public bool Unlimited => _bytesPerSecond <= 0;

    /// <summary>Takes <paramref name="bytes"/> from the bucket and says how long to wait before sending them (zero when they fit).</summary>
    public TimeSpan DelayFor(int bytes)
    {
        if (Unlimited)
        {
            return TimeSpan.Zero;
        }

        var now = _time.GetTimestamp();
        _tokens = Math.Min(_bytesPerSecond, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _bytesPerSecond));
        _last = now;
        _tokens -= bytes;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
    }

    public async Task WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        var delay = DelayFor(bytes);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
