using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Sensen.Edge.Uplink;

/// <summary>
/// The device's side of its MQTT session beyond evidence (docs/TELEMETRY.md): the retained availability topic
/// (<c>online</c> on every connect, <c>offline</c> on a clean stop, and <c>offline</c> as the last will, set on the
/// very connection the uplink uses), publishing telemetry and command results, and the participants that subscribe
/// through the same client. The <see cref="UplinkStage"/> owns the session and hands it here once it exists.
/// </summary>
internal sealed partial class DeviceMqtt
{
    public const string AvailabilityTopic = "availability";
    public const string TelemetryTopic = "telemetry";
    public const string CommandsTopic = "commands";
    public const string CommandResultTopic = "commands/result";
    public const string Online = "online";
    public const string Offline = "offline";

    private readonly List<IDeviceMqttParticipant> _participants = [];
    private readonly ILogger _logger;
    private volatile MqttSession? _session;

    public DeviceMqtt(string topicPrefix, string deviceId, ILogger logger)
    {
        Prefix = topicPrefix;
        DeviceId = deviceId;
        _logger = logger;
    }

    public string Prefix { get; }

    public string DeviceId { get; }

    public bool IsConnected => _session?.IsConnected == true;

    /// <summary>True when the session runs over plain TCP (<c>uplink.allow_insecure</c>); null before the endpoint loaded.</summary>
    public bool? Insecure => _session?.Endpoint.Insecure;

    public string Topic(string level) => UplinkProtocol.DeviceTopic(Prefix, DeviceId, level);

    /// <summary>Adds a participant; only before the host starts.</summary>
    public void Add(IDeviceMqttParticipant participant) => _participants.Add(participant);

    /// <summary>The endpoint with this device's last will.</summary>
    public MqttEndpoint WithWill(MqttEndpoint endpoint) => endpoint with { WillTopic = Topic(AvailabilityTopic), WillPayload = Offline };

    /// <summary>Called by the uplink once its session exists: connects the hooks.</summary>
    internal void Attach(MqttSession session)
    {
        _session = session;
        session.Stopping = async client =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.PublishAsync(Message(Topic(AvailabilityTopic), Offline, retain: true), timeout.Token).ConfigureAwait(false);
        };
    }

    /// <summary>After the uplink's own subscription: the participants', then <c>online</c> (retained).</summary>
    internal async Task OnConnectedAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        foreach (var participant in _participants)
        {
            await participant.OnConnectedAsync(client, cancellationToken).ConfigureAwait(false);
        }

        await client.PublishAsync(Message(Topic(AvailabilityTopic), Online, retain: true), cancellationToken).ConfigureAwait(false);
    }

    internal async Task DispatchAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        foreach (var participant in _participants)
        {
            if (await participant.OnMessageAsync(message, this, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Publishes at QoS 1; false when not connected or the broker refused (an ACL, say), which is logged.</summary>
    public async Task<bool> PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        if (_session is not { IsConnected: true } session)
        {
            return false;
        }

        try
        {
            var result = await session.Client.PublishAsync(
                new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload.ToArray()).WithRetainFlag(retain)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithContentType("application/json").Build(),
                cancellationToken).ConfigureAwait(false);
            if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                return true;
            }

            LogPublishRefused(topic, result.ReasonCode.ToString());
            return false;
        }
        catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            LogPublishRefused(topic, MqttSession.Describe(e));
            return false;
        }
    }

    private static MqttApplicationMessage Message(string topic, string payload, bool retain) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithContentType("text/plain").Build();

    [LoggerMessage(EventId = 7150, Level = LogLevel.Warning, Message = "Could not publish to {Topic}: {Reason}")]
    private partial void LogPublishRefused(string topic, string reason);
}
