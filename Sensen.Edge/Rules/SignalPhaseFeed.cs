namespace Sensen.Edge.Rules;

/// <summary>
/// A signal controller's phase feed (one MQTT topic). The uplink calls <see cref="Publish"/> with each
/// message's payload; a feed that has gone quiet for longer than <see cref="StaleAfter"/> reads as
/// <see cref="SignalPhase.Unknown"/>, so a dead controller link can never produce red-light evidence.
/// </summary>
internal sealed class SignalPhaseFeed : ISignalPhaseSource
{
    private readonly Lock _lock = new();
    private SignalReading _reading;
    private DateTimeOffset _lastMessage;

    public SignalPhaseFeed(string topic) => Topic = topic;

    public string Topic { get; }

    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Takes one message: <c>red</c>, <c>amber</c> (or <c>yellow</c>) or <c>green</c>; false for anything else.</summary>
    public bool Publish(string payload, DateTimeOffset received)
    {
        SignalPhase phase;
        switch (payload.Trim().ToLowerInvariant())
        {
            case "red":
                phase = SignalPhase.Red;
                break;
            case "amber" or "yellow":
                phase = SignalPhase.Amber;
                break;
            case "green":
                phase = SignalPhase.Green;
                break;
            default:
                return false;
        }

        lock (_lock)
        {
            // Controllers repeat the phase periodically; only a change starts a new phase.
            if (_reading.Phase != phase)
            {
                _reading = new SignalReading(phase, received);
            }

            _lastMessage = received;
        }

        return true;
    }

    public SignalReading Read(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _reading.Phase == SignalPhase.Unknown || now - _lastMessage > StaleAfter
                ? new SignalReading(SignalPhase.Unknown, _lastMessage)
                : _reading;
        }
    }
}
