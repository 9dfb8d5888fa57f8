using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Sensen.Edge.Rules;

/// <summary>
/// The rules → recording edge: every camera's violation events, bounded. Full mode: the writer never waits
/// (the live path must not stall behind a slow consumer) and an event that does not fit is dropped and
/// counted (<c>sensen.edge.rules.events_dropped</c>); at a few events an hour, a full queue means the
/// consumer is stuck, which the status line then says. Meter <c>Sensen.Edge.Rules</c> also counts every
/// event raised, by camera and rule.
/// </summary>
internal sealed class ViolationChannel : IDisposable
{
    public const string MeterName = "Sensen.Edge.Rules";
    public const int Capacity = 256;

    private readonly Channel<ViolationEvent> _channel = Channel.CreateBounded<ViolationEvent>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly Meter _meter;
    private readonly Counter<long> _raised;
    private readonly Counter<long> _dropped;
    private long _droppedTotal;

    public ViolationChannel(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _raised = _meter.CreateCounter<long>("sensen.edge.rules.events", "{event}", "Violation events raised, tagged by camera and rule");
        _dropped = _meter.CreateCounter<long>("sensen.edge.rules.events_dropped", "{event}", "Violation events dropped because the queue towards recording was full");
    }

    public ChannelReader<ViolationEvent> Reader => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _droppedTotal);

    /// <summary>Hands one event on without waiting; false (and counted) when the queue is full or closed.</summary>
    public bool Publish(ViolationEvent violation)
    {
        _raised.Add(1, new KeyValuePair<string, object?>("camera", violation.CameraId), new KeyValuePair<string, object?>("rule", violation.RuleId));
        if (_channel.Writer.TryWrite(violation))
        {
            return true;
        }

        Interlocked.Increment(ref _droppedTotal);
        _dropped.Add(1, new KeyValuePair<string, object?>("camera", violation.CameraId), new KeyValuePair<string, object?>("rule", violation.RuleId));
        return false;
    }

    /// <summary>No more events (the tracking stage stopped).</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public void Dispose() => _meter.Dispose();
}
