using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Vault;

/// <summary>
/// <c>sensen-edge keys dev-unit --out DIR --config FILE</c>: everything a development unit needs in one directory,
/// so that <c>run --config DIR/sensen-edge.yaml</c> starts without hand work: the credentials <c>FILE</c> names
/// (device key, vault keys, the uplink's client key, a placeholder per camera), the city's test key pairs,
/// a test CA with the device's client certificate and a broker server certificate (for a local mosquitto),
/// and a copy of <c>FILE</c> with its machine paths pointed into <c>DIR</c>. Key files are written by
/// <see cref="KeysCommand"/>'s writer: 0600, never over an existing file.
/// </summary>
internal static partial class DevUnit
{
    public const string ConfigFile = "sensen-edge.yaml";
    public const string CredentialsDirectory = "credentials";
    public const string StateDirectory = "state";
    public const string CaFile = "city-ca.pem";
    public const string CaKeyFile = "city-ca-key.pem";
    public const string DeviceCertificateFile = "device-cert.pem";
    public const string BrokerCertificateFile = "broker-cert.pem";
    public const string BrokerKeyFile = "broker-key.pem";

    /// <summary>What a camera credential holds until the developer writes the camera's real user:password.</summary>
    public const string CameraPlaceholder = "dev:change-me";

    private const string Verb = "keys dev-unit";

    public static int Provision(string outDirectory, string configPath, TextWriter stdout, TextWriter stderr)
    {
        var loaded = ConfigLoader.Load(configPath);
        if (!loaded.IsValid)
        {
            stderr.WriteLine($"sensen-edge {Verb}: --config must be valid to provision for it");
            return CheckConfigCommand.Report(loaded, stderr);
        }

        var config = loaded.Config!;
        var options = config.Options;
        var root = Path.GetFullPath(outDirectory);
        if (File.Exists(Path.Combine(root, ConfigFile)))
        {
            stderr.WriteLine($"sensen-edge {Verb}: {Path.Combine(root, ConfigFile)} already exists; refusing to overwrite a provisioned unit");
            return ExitCodes.CannotCreate;
        }

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CreateCa(caKey);
        using var deviceTlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var deviceCertificate = Issue(ca, deviceTlsKey, "CN=" + options.Device.Id, server: false, BrokerHost(options.Uplink.Broker));
        using var brokerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var brokerCertificate = Issue(ca, brokerKey, "CN=" + BrokerHost(options.Uplink.Broker), server: true, BrokerHost(options.Uplink.Broker));

        var credentials = new List<(string Name, string Pem, UnixFileMode Mode)>();
        foreach (var name in CredentialReferences.In(options).Select(r => r.Name).Distinct(StringComparer.Ordinal))
        {
            credentials.Add((name, CredentialFor(name, options, deviceTlsKey), KeysCommand.PrivateMode));
        }

        var files = KeysCommand.CityFiles().Concat(
        [
            (CaFile, ca.ExportCertificatePem(), KeysCommand.PublicMode),
            (CaKeyFile, caKey.ExportPkcs8PrivateKeyPem(), KeysCommand.PrivateMode),
            (DeviceCertificateFile, deviceCertificate.ExportCertificatePem(), KeysCommand.PublicMode),
            (BrokerCertificateFile, brokerCertificate.ExportCertificatePem(), KeysCommand.PublicMode),
            (BrokerKeyFile, brokerKey.ExportPkcs8PrivateKeyPem(), KeysCommand.PrivateMode),
        ]).ToArray();

        var code = KeysCommand.Write(Verb, Path.Combine(root, CredentialsDirectory), stdout, stderr, [.. credentials]);
        if (code != ExitCodes.Ok)
        {
            return code;
        }

        code = KeysCommand.Write(Verb, root, stdout, stderr, files);
        if (code != ExitCodes.Ok)
        {
            return code;
        }

        Directory.CreateDirectory(Path.Combine(root, StateDirectory), KeysCommand.PrivateMode | UnixFileMode.UserExecute);
        var yaml = Repoint(File.ReadAllText(configPath), root, config.ModelsDirectory);
        return KeysCommand.Write(Verb, root, stdout, stderr, [(ConfigFile, yaml.TrimEnd('\n'), KeysCommand.PrivateMode)]);
    }

    /// <summary>The source configuration with its machine paths pointed into <paramref name="root"/>; everything else as written.</summary>
    internal static string Repoint(string yaml, string root, string modelsDirectory)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["state_directory"] = Path.Combine(root, StateDirectory),
            ["credentials_directory"] = Path.Combine(root, CredentialsDirectory),
            ["models_directory"] = modelsDirectory,
            ["city_public_key"] = Path.Combine(root, KeysCommand.CityPublicFile),
            ["city_ack_public_key"] = Path.Combine(root, KeysCommand.CityAckPublicFile),
            ["ca_file"] = Path.Combine(root, CaFile),
            ["client_certificate"] = Path.Combine(root, DeviceCertificateFile),
        };
        yaml = ScalarLine().Replace(yaml, m => values.TryGetValue(m.Groups["key"].Value, out var value) ? $"{m.Groups["indent"].Value}{m.Groups["key"].Value}: {value}" : m.Value);
        if (!CredentialsLine().IsMatch(yaml))
        {
            // The example relies on $CREDENTIALS_DIRECTORY (systemd); a development unit names its own.
            yaml = DeviceStateLine().Replace(yaml, m => $"{m.Groups["indent"].Value}credentials_directory: {values["credentials_directory"]}\n{m.Value}", 1);
        }

        return yaml;
    }

    private static string CredentialFor(string name, EdgeOptions options, ECDsa deviceTlsKey)
    {
        if (name == options.Vault.DeviceKeyCredential)
        {
            using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return device.ExportPkcs8PrivateKeyPem();
        }

        if (name == options.Vault.DatabaseKeyCredential || name == options.Vault.StorageKeyCredential)
        {
            return Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        if (name == options.Uplink.ClientKeyCredential)
        {
            return deviceTlsKey.ExportPkcs8PrivateKeyPem();
        }

        // Cameras (user:password); nothing else in the configuration names a credential today.
        return CameraPlaceholder;
    }

    private static string BrokerHost(string broker) =>
        Uri.TryCreate(broker, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : "localhost";

    internal static X509Certificate2 CreateCa(ECDsa key)
    {
        var request = new CertificateRequest("CN=Sensen.Edge development CA (not for deployment)", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
    }

    internal static X509Certificate2 Issue(X509Certificate2 ca, ECDsa key, string subject, bool server, string brokerHost)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(brokerHost);
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var now = DateTimeOffset.UtcNow;
        return request.Create(ca, now.AddMinutes(-5), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
    }

    [GeneratedRegex(@"^(?<indent>[ \t]*)(?<key>[a-z_]+):[ \t]*[^\s#][^#\n]*?(?=[ \t]*(#|$))", RegexOptions.Multiline)]
    private static partial Regex ScalarLine();

    [GeneratedRegex(@"^[ \t]*credentials_directory:", RegexOptions.Multiline)]
    private static partial Regex CredentialsLine();

    [GeneratedRegex(@"^(?<indent>[ \t]+)state_directory:", RegexOptions.Multiline)]
    private static partial Regex DeviceStateLine();
}
