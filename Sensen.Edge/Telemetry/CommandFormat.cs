using System.Text.RegularExpressions;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Remote commands (docs/TELEMETRY.md "Commands"): a JWS compact serialisation, ES256, like the city's acks
/// (Vault/AckVerifier), with typ <c>sensen-command/1</c> and the operator's id as kid. Names in one place for the
/// device, the signer and the documentation test.
/// </summary>
internal static partial class CommandFormat
{
    public const string Format = "sensen-command/1";
    public const string ResultFormat = "sensen-command-result/1";
    public const string Algorithm = "ES256";

    /// <summary>A command is a few hundred bytes; anything larger is refused unread.</summary>
    public const int MaxMessageBytes = 8 * 1024;

    /// <summary>A command's issued_at may be at most this far ahead of the unit's clock.</summary>
    public static readonly TimeSpan AllowedFutureSkew = TimeSpan.FromSeconds(60);

    /// <summary>Legal hold reasons are stored encrypted; this bounds them.</summary>
    public const int MaxReasonLength = 500;

    public const string LegalHold = "legal_hold";
    public const string Release = "release";
    public const string Resend = "resend";
    public const string ReloadConfiguration = "reload_configuration";
    public const string SetLogLevel = "set_log_level";

    public static readonly IReadOnlyList<string> Commands = [LegalHold, Release, Resend, ReloadConfiguration, SetLogLevel];

    public static readonly IReadOnlyList<string> LogLevels = ["trace", "debug", "information", "warning", "error"];

    /// <summary>The least role that may run each command (a viewer may run none).</summary>
    public static OperatorRole RequiredRole(string command) => command switch
    {
        LegalHold or Resend or SetLogLevel => OperatorRole.Operator,
        _ => OperatorRole.Admin,
    };

    /// <summary>16-64 characters of base64url: what the replay cache keys on.</summary>
    public static bool IsNonce(string value) => NoncePattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9_-]{16,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NoncePattern();
}
