namespace Sensen.Edge.Uplink;

/// <summary>An uplink or receiver set-up problem an operator must fix (missing CA file, unusable certificate); the message is safe to log.</summary>
internal sealed class UplinkException : Exception
{
    public UplinkException(string message)
        : base(message)
    {
    }

    public UplinkException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
