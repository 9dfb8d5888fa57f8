namespace Sensen.Edge.Telemetry;

/// <summary>
/// A stage's heartbeat for <see cref="Liveness"/>: <see cref="Busy"/> before a unit of work, <see cref="Idle"/>
/// after it. Busy for longer than the watchdog allows means wedged. Thread-safe.
/// </summary>
internal sealed class LivenessProbe
{
    private readonly bool _wedged;
    private long _beats;
    private int _busy;

    public LivenessProbe(string stage, bool wedged)
    {
        Stage = stage;
        _wedged = wedged;
    }

    public string Stage { get; }

    public long Beats => Interlocked.Read(ref _beats);

    public bool IsBusy => Volatile.Read(ref _busy) != 0;

    public void Busy()
    {
        Volatile.Write(ref _busy, 1);
        Interlocked.Increment(ref _beats);
    }

    public void Idle()
    {
        Volatile.Write(ref _busy, 0);
        Interlocked.Increment(ref _beats);
    }

    /// <summary>
    /// The test seam (<see cref="Liveness.WedgeVariable"/>): when this probe is the one named, the work it guards
    /// never finishes, as a hung disk or a deadlock would, until the daemon stops. Otherwise returns at once.
    /// </summary>
    public Task WedgeIfTestedAsync(CancellationToken cancellationToken) =>
        _wedged ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.CompletedTask;
}
