using System.Text.RegularExpressions;

namespace Sensen.Edge.Ingest;

/// <summary>
/// Removes credentials from text before it reaches a log line, an exception or telemetry. ffmpeg
/// echoes its input URL in error messages (<c>rtsp://user:pass@host/...: Server returned 401</c>),
/// so every stderr line goes through here. Two layers: any <c>scheme://userinfo@</c> is cut, and
/// the known secret (raw and percent-encoded) is replaced wherever else it appears.
/// </summary>
internal sealed partial class UrlRedactor
{
    public const string Mask = "***";

    private readonly string[] _secrets;

    public UrlRedactor(params string?[] secrets)
    {
        _secrets = secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => new[] { s!, Uri.EscapeDataString(s!) })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    /// <summary>A redactor that knows no secret and only strips user info from URLs.</summary>
    public static UrlRedactor Default { get; } = new();

    public string Redact(string text)
    {
        var result = RedactUserInfo(text);
        foreach (var secret in _secrets)
        {
            result = result.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>Replaces the user-info part of every URL in <paramref name="text"/> with <see cref="Mask"/>.</summary>
    public static string RedactUserInfo(string text) =>
        text.Contains('@', StringComparison.Ordinal) ? UserInfo().Replace(text, "${scheme}://" + Mask + "@") : text;

    // RFC 3986 §3.2.1: userinfo is everything between "//" and the last "@" before the host; it
    // contains no "/", and a password may contain "@" only percent-encoded, but be generous.
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://[^/\s'""]*@")]
    private static partial Regex UserInfo();
}
