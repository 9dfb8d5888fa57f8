using MQTTnet;

namespace Sensen.Edge.Uplink;

/// <summary>
/// Something else that rides the uplink's one MQTT session (one unit, one session, one client certificate):
/// the remote commands, the signal-controller feeds. Called on every (re)connect to subscribe, and with every
/// message that is not an ack.
/// </summary>
internal interface IDeviceMqttParticipant
{
    /// <summary>Subscribes what it reads; a refusal is logged by the participant and does not drop the connection.</summary>
    Task OnConnectedAsync(IMqttClient client, CancellationToken cancellationToken);

    /// <summary>True when the message was for this participant; <paramref name="device"/> publishes answers.</summary>
    Task<bool> OnMessageAsync(MqttApplicationMessage message, DeviceMqtt device, CancellationToken cancellationToken);
}
