namespace Sensen.Edge.Rules;

/// <summary>
/// The signal controller feeds by MQTT topic, one per topic however many rules read it. Red-light rules read
/// them; the uplink's client, once it subscribes, calls <see cref="Publish"/> with each message.
/// </summary>
internal sealed class SignalFeeds
{
    private readonly Dictionary<string, SignalPhaseFeed> _feeds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public SignalPhaseFeed For(string topic)
    {
        lock (_lock)
        {
            if (!_feeds.TryGetValue(topic, out var feed))
            {
                feed = new SignalPhaseFeed(topic);
                _feeds.Add(topic, feed);
            }

            return feed;
        }
    }

    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_lock)
            {
                return [.. _feeds.Keys];
            }
        }
    }

    /// <summary>Routes one message; false when nobody reads the topic or the payload is not a phase.</summary>
    public bool Publish(string topic, string payload, DateTimeOffset received)
    {
        SignalPhaseFeed? feed;
        lock (_lock)
        {
            _feeds.TryGetValue(topic, out feed);
        }

        return feed is not null && feed.Publish(payload, received);
    }
}
