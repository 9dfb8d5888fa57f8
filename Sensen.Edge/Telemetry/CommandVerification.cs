namespace Sensen.Edge.Telemetry;

/// <summary>
/// Either a <see cref="VerifiedCommand"/> or a refusal: <paramref name="Refusal"/> is a fixed word (malformed,
/// unknown_operator, bad_signature, wrong_device, expired, from_the_future, replayed, busy) and
/// <paramref name="Message"/> a fixed sentence that never echoes the untrusted input.
/// <paramref name="Nonce"/> is the claimed nonce when well-formed, so the operator can match the result.
/// </summary>
internal sealed record CommandVerification(VerifiedCommand? Command, string? Refusal, string? Message, string? Nonce)
{
    public static CommandVerification Verified(VerifiedCommand command) => new(command, null, null, command.Body.Nonce);

    public static CommandVerification Refused(string refusal, string message, string? nonce = null) => new(null, refusal, message, nonce);
}
