using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet;
using Sensen.Edge.Rules;
using Sensen.Edge.Uplink;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// The signal-controller feeds of <c>red_light</c> rules (<c>signal.topic</c>, issue #13): subscribed through the
/// uplink's one session, each message handed to <see cref="SignalFeeds.Publish"/> with this unit's receive time.
/// </summary>
internal sealed partial class SignalFeedSubscriber : IDeviceMqttParticipant
{
    /// <summary>A phase is a word; anything longer is not one.</summary>
    public const int MaxPayloadBytes = 64;

    private readonly SignalFeeds _feeds;
    private readonly HashSet<string> _topics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _received;
    private long _ignored;

    public SignalFeedSubscriber(SignalFeeds feeds, IEnumerable<string> topics, TimeProvider time, ILogger logger)
    {
        _feeds = feeds;
        _topics = new HashSet<string>(topics, StringComparer.Ordinal);
        _time = time;
        _logger = logger;
        foreach (var topic in _topics)
        {
            // The rules may be built after the first message; the feed exists from the start either way.
            _ = feeds.For(topic);
        }
    }

    public IReadOnlyCollection<string> Topics => _topics;

    public long Received => Interlocked.Read(ref _received);

    public long Ignored => Interlocked.Read(ref _ignored);

    public async Task OnConnectedAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        foreach (var topic in _topics)
        {
            try
            {
                await MqttSession.SubscribeAsync(client, topic, cancellationToken).ConfigureAwait(false);
            }
            catch (UplinkSendException e)
            {
                // The rule reads "unknown" and raises nothing; the rest of the session goes on.
                LogSubscribeFailed(topic, e.Message);
            }
        }
    }

    public Task<bool> OnMessageAsync(MqttApplicationMessage message, DeviceMqtt device, CancellationToken cancellationToken)
    {
        if (!_topics.Contains(message.Topic))
        {
            return Task.FromResult(false);
        }

        var ok = message.Payload.Length <= MaxPayloadBytes
            && _feeds.Publish(message.Topic, Encoding.UTF8.GetString(message.Payload), _time.GetUtcNow());
        Interlocked.Increment(ref ok ? ref _received : ref _ignored);
        if (!ok)
        {
            LogIgnored(message.Topic, message.Payload.Length);
        }

        return Task.FromResult(true);
    }

    [LoggerMessage(EventId = 8010, Level = LogLevel.Error, Message = "Subscribing to the signal feed {Topic} failed: {Reason}; red-light rules on it see no phase")]
    private partial void LogSubscribeFailed(string topic, string reason);

    [LoggerMessage(EventId = 8011, Level = LogLevel.Debug, Message = "Signal feed {Topic}: a {Bytes}-byte message that is not red, amber or green, ignored")]
    private partial void LogIgnored(string topic, long bytes);
}
