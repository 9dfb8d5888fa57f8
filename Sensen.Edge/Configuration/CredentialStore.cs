using System.Globalization;
using System.Security.Cryptography;
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
        && (File.GetUnixFileMode(PathOf(name)) & ExposingBits) != 0;

    /// <summary>
    /// Checks credential <paramref name="name"/> the way the daemon will use it: a valid name, present,
    /// readable by this process, not empty, not too large, and readable by its owner only
    /// (<see cref="EnsurePrivate"/>). Throws <see cref="CredentialException"/> saying which; the content
    /// is read and wiped, never kept. <c>check-config</c> runs this on every credential the file names.
    /// </summary>
    public void Verify(string name)
    {
        CryptographicOperations.ZeroMemory(ReadBytes(name));
        EnsurePrivate(name);
    }

    /// <summary>
    /// Refuses a credential that its group or other users may read: a secret anyone on the unit can read is
    /// not a secret. systemd hands services copies readable by the service user only (systemd.exec(5),
    /// "Credentials"); a file installed by hand should be <c>chmod 0600</c> or <c>0400</c>.
    /// </summary>
    public void EnsurePrivate(string name)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no POSIX modes; ACLs are the operator's business there
        }

        if (!IsValidName(name))
        {
            throw new CredentialException($"'{name}' is not a credential name");
        }

        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(PathOf(name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException($"credential '{name}' cannot be read: {e.Message}", e);
        }

        if ((mode & ExposingBits) != 0)
        {
            var octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
            throw new CredentialException(string.Create(CultureInfo.InvariantCulture,
                $"credential '{name}' is readable by group or others (mode {octal}); make it readable by its owner only (chmod 0600)"));
        }
    }

    private const UnixFileMode ExposingBits = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private string PathOf(string name) => Path.Combine(Directory, name);

    private static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
