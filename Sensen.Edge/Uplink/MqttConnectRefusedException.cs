using MQTTnet;

namespace Sensen.Edge.Uplink;

/// <summary>The broker answered CONNECT with a failure reason (MQTT 5 §3.2.2.2): bad certificate identity, not authorised, banned.</summary>
internal sealed class MqttConnectRefusedException : Exception
{
    public MqttConnectRefusedException(MqttClientConnectResultCode code, string? reason)
        : base($"the broker refused the connection: {code}{(string.IsNullOrEmpty(reason) ? "" : $" ({reason})")}")
    {
        Code = code;
    }

    public MqttClientConnectResultCode Code { get; }
}
