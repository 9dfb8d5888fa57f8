using Sensen.Edge.Configuration;

namespace Sensen.Edge.Ingest;

/// <summary>
/// A camera's RTSP user and password, read from a credential file holding <c>user:password</c>.
/// <see cref="ToString"/> never shows the password.
/// </summary>
internal sealed class CameraCredential
{
    public CameraCredential(string user, string password)
    {
        User = user;
        Password = password;
    }

    public string User { get; }

    public string Password { get; }

    /// <summary>Reads and splits credential <paramref name="name"/> (first ':' separates user from password).</summary>
    public static CameraCredential Read(CredentialStore store, string name)
    {
        var text = store.ReadText(name);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new CredentialException($"credential '{name}' must hold 'user:password' on one line");
        }

        return new CameraCredential(text[..colon], text[(colon + 1)..]);
    }

    public override string ToString() => $"{User}:{UrlRedactor.Mask}";
}
