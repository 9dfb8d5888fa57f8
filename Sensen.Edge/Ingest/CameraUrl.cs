namespace Sensen.Edge.Ingest;

/// <summary>Pure helpers for camera URLs: the form handed to ffmpeg, and the form safe to show.</summary>
internal static class CameraUrl
{
    /// <summary>
    /// The ffmpeg input for <paramref name="url"/>: a local path for <c>file://</c>, else the URL with
    /// the credential inserted as user info, percent-encoded (RFC 3986 §3.2.1). ffmpeg's RTSP demuxer
    /// takes credentials only this way, so this string is the one place a password exists outside
    /// the credential file; it goes into the child's argv and nowhere else.
    /// </summary>
    public static string ForFfmpeg(Uri url, CameraCredential? credential)
    {
        if (url.IsFile)
        {
            return url.LocalPath;
        }

        if (credential is null)
        {
            return url.AbsoluteUri;
        }

        var builder = new UriBuilder(url)
        {
            UserName = Uri.EscapeDataString(credential.User),
            Password = Uri.EscapeDataString(credential.Password),
        };
        return builder.Uri.AbsoluteUri;
    }

    /// <summary>The URL without user info, for logs and the probe's report.</summary>
    public static string Display(Uri url) => url.IsFile ? url.LocalPath : UrlRedactor.RedactUserInfo(url.AbsoluteUri);

    /// <summary>
    /// Names under <c>.invalid</c> never resolve (RFC 6761 §6.4: resolver APIs "SHOULD always return
    /// immediate negative responses"), so no DNS query is sent for them.
    /// </summary>
    public static bool IsReservedInvalidHost(Uri url) =>
        !url.IsFile && (url.Host.Equals("invalid", StringComparison.OrdinalIgnoreCase)
            || url.Host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase));
}
