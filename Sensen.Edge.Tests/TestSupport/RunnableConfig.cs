using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>
/// The example configuration made runnable on a test machine: the same file, with its machine paths
/// (state, credentials, models, keys) pointed at a temporary directory. Nothing else is changed.
/// </summary>
internal sealed partial class RunnableConfig : IDisposable
{
    private RunnableConfig(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "sensen-edge.yaml");

    public string StateDirectory => Path.Combine(Directory, "state");

    public string CredentialsDirectory => Path.Combine(Directory, "credentials");

    public static RunnableConfig FromExample(Func<string, string>? edit = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("sensen-run-").FullName;
        var config = new RunnableConfig(directory);
        System.IO.Directory.CreateDirectory(config.StateDirectory);
        System.IO.Directory.CreateDirectory(config.CredentialsDirectory);

        var yaml = File.ReadAllText(RepoPaths.ExampleConfig);
        yaml = SetScalar(yaml, "state_directory", config.StateDirectory);
        yaml = SetScalar(yaml, "models_directory", RepoPaths.Models);
        yaml = SetScalar(yaml, "city_public_key", Path.Combine(directory, "city-public.pem"));
        yaml = SetScalar(yaml, "city_ack_public_key", Path.Combine(directory, "city-ack-public.pem"));
        yaml = yaml.Replace("  state_directory:", $"  credentials_directory: {config.CredentialsDirectory}\n  state_directory:", StringComparison.Ordinal);
        File.WriteAllText(config.ConfigPath, edit is null ? yaml : edit(yaml));
        config.ProvisionSecrets();
        return config;
    }

    /// <summary>What an installer puts in place: the city's public key and the device's credentials.</summary>
    private void ProvisionSecrets()
    {
        using var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(Directory, "city-public.pem"), city.ExportSubjectPublicKeyInfoPem());
        using var ack = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(Directory, "city-ack-public.pem"), ack.ExportSubjectPublicKeyInfoPem());
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WriteCredential("device-key", device.ExportPkcs8PrivateKeyPem());
        WriteCredential("vault-db-key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        WriteCredential("vault-storage-key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    public void WriteCredential(string name, string value)
    {
        var path = Path.Combine(CredentialsDirectory, name);
        File.WriteAllText(path, value);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void DeleteCredential(string name) => File.Delete(Path.Combine(CredentialsDirectory, name));

    /// <summary>Replaces the value of every <c>key: value</c> line for <paramref name="key"/>, keeping comments out.</summary>
    public static string SetScalar(string yaml, string key, string value) =>
        ScalarLine().Replace(yaml, m => m.Groups["key"].Value == key ? $"{m.Groups["indent"].Value}{key}: {value}" : m.Value);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    [GeneratedRegex(@"^(?<indent>\s*)(?<key>[a-z_]+):[ \t]*[^\s#][^#\n]*?(?=[ \t]*(#|$))", RegexOptions.Multiline)]
    private static partial Regex ScalarLine();
}
