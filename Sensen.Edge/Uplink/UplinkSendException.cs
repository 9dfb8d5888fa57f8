namespace Sensen.Edge.Uplink;

/// <summary>A publish the broker did not accept (a PUBACK reason code of 0x80 or above, MQTT 5 §3.4.2.1), or a chunk that cannot fit the broker's packet limit.</summary>
internal sealed class UplinkSendException : Exception
{
    public UplinkSendException(string message)
        : base(message)
    {
    }

    public UplinkSendException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
