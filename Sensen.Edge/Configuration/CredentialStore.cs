using System.Text;
using System.Text.RegularExpressions;

namespace Sensen.Edge.Configuration;

/// <summary>
/// Reads secrets by name from the credentials directory: systemd's <c>$CREDENTIALS_DIRECTORY</c>
/// (LoadCredential=/LoadCredentialEncrypted=, systemd.exec(5)) when set, else the configured directory,
/// else <c>/etc/sensen-edge/credentials</c>. One file per credential; the content is the secret.
/// Nothing here ever puts a secret's value into a message or a log.
/// </summary>
internal sealed partial class CredentialStore
{
    public const string FallbackDirectory = "/etc/sensen-edge/credentials";

    /// <summary>Secrets are small; a large file is a mistake (a video, a database) and is refused.</summary>
    private const int MaxCredentialBytes = 64 * 1024;

    public CredentialStore(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The store the daemon uses: systemd's directory first, then the configured one, then the fallback.</summary>
    public static CredentialStore FromOptions(DeviceOptions device) =>
        new(Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY") is { Length: > 0 } systemd
            ? systemd
            : device.CredentialsDirectory ?? FallbackDirectory);

    public bool Exists(string name) => IsValidName(name) && File.Exists(PathOf(name));

    public byte[] ReadBytes(string name)
    {
        if (!IsValidName(name))
        {
            throw new CredentialException($"'{name}' is not a credential name");
        }

        var path = PathOf(name);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CredentialException($"credential '{name}' not found in {Directory}");
            }

            if (info.Length > MaxCredentialBytes)
            {
                throw new CredentialException($"credential '{name}' is {info.Length} bytes; at most {MaxCredentialBytes} are allowed");
            }

            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0)
            {
                throw new CredentialException($"credential '{name}' is empty");
            }

            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The OS message holds only the path, never the content.
            throw new CredentialException($"credential '{name}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The credential as UTF-8 text, without the trailing newline an editor adds.</summary>
    public string ReadText(string name) => Encoding.UTF8.GetString(ReadBytes(name)).TrimEnd('\r', '\n');

    /// <summary>Whether group or others may read the file (they should not; systemd's copies are 0400).</summary>
    public bool IsExposed(string name) =>
        !OperatingSystem.IsWindows() && Exists(name)
        && (File.GetUnixFileMode(PathOf(name)) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;

    private string PathOf(string name) => Path.Combine(Directory, name);

    private static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
