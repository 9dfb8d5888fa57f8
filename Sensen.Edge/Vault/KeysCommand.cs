using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Vault;

/// <summary>
/// <c>sensen-edge keys device|city --out DIR</c>: P-256 key material. Private keys are written 0600 and
/// never over an existing file.
/// </summary>
internal static partial class KeysCommand
{
    public const string DeviceKeyFile = "device-key.pem";
    public const string DevicePublicFile = "device-public.pem";
    public const string DeviceCsrFile = "device.csr";
    public const string CityPrivateFile = "city-private.pem";
    public const string CityPublicFile = "city-public.pem";
    public const string CityAckPrivateFile = "city-ack.pem";
    public const string CityAckPublicFile = "city-ack-public.pem";

    internal const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    internal const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static Command Create()
    {
        var command = new Command("keys", "Create device and city key material.");

        var deviceOut = OutOption();
        var deviceId = new Option<string?>("--device-id") { Description = "The CSR subject (CN); default: device.id from --config." };
        var config = new Option<string>("--config", "-c") { Description = "The YAML configuration file (for device.id).", DefaultValueFactory = _ => CliDefaults.ConfigPath };
        var device = new Command("device", "The device's ECDSA P-256 signing key (PEM, install as the device-key credential) and a CSR with CN=device id.") { deviceOut, deviceId, config };
        device.SetAction(r => Device(r.GetValue(deviceOut)!, r.GetValue(deviceId), r.GetValue(config)!, Console.Out, Console.Error));

        var cityOut = OutOption();
        var city = new Command("city", "The city's two P-256 key pairs: the sealing key (city-public.pem for vault.city_public_key) and the ack-signing key (city-ack-public.pem for vault.city_ack_public_key); the private halves for the receiver.") { cityOut };
        city.SetAction(r => City(r.GetValue(cityOut)!, Console.Out, Console.Error));

        var devOut = OutOption();
        var devConfig = new Option<string>("--config", "-c") { Description = "The configuration to provision for (its device.id, credential names and broker host).", DefaultValueFactory = _ => CliDefaults.ConfigPath };
        var dev = new Command("dev-unit", "A development unit in one directory: every credential, the city's test key pairs, a test CA with the device's client certificate and a broker certificate, and a copy of --config pointed at them. Never for a deployed unit.") { devOut, devConfig };
        dev.SetAction(r => DevUnit.Provision(r.GetValue(devOut)!, r.GetValue(devConfig)!, Console.Out, Console.Error));

        command.Subcommands.Add(device);
        command.Subcommands.Add(city);
        command.Subcommands.Add(dev);
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge keys: choose device or city (see --help)");
            return ExitCodes.Usage;
        });
        return command;
    }

    internal static int Device(string outDirectory, string? deviceId, string configPath, TextWriter stdout, TextWriter stderr)
    {
        if (deviceId is null)
        {
            var loaded = ConfigLoader.Load(configPath);
            if (!loaded.IsValid)
            {
                stderr.WriteLine("sensen-edge keys device: give --device-id, or a valid --config to take device.id from");
                return CheckConfigCommand.Report(loaded, stderr);
            }

            deviceId = loaded.Config!.Options.Device.Id;
        }

        if (!IdPattern().IsMatch(deviceId))
        {
            stderr.WriteLine($"sensen-edge keys device: '{deviceId}' is not a valid device id (1-64 letters, digits, '.', '-', '_')");
            return ExitCodes.Usage;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + deviceId), key, HashAlgorithmName.SHA256);
        return Write("keys device", outDirectory, stdout, stderr,
        [
            (DeviceKeyFile, key.ExportPkcs8PrivateKeyPem(), PrivateMode),
            (DevicePublicFile, key.ExportSubjectPublicKeyInfoPem(), PublicMode),
            (DeviceCsrFile, request.CreateSigningRequestPem(), PublicMode),
        ]);
    }

    internal static int City(string outDirectory, TextWriter stdout, TextWriter stderr) =>
        Write("keys city", outDirectory, stdout, stderr, CityFiles());

    /// <summary>The city's two key pairs as files: the ECDH key unwraps content keys, the ECDSA key signs acks (docs/PROTOCOL.md).</summary>
    internal static (string Name, string Pem, UnixFileMode Mode)[] CityFiles()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var ack = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return
        [
            (CityPrivateFile, key.ExportPkcs8PrivateKeyPem(), PrivateMode),
            (CityPublicFile, key.ExportSubjectPublicKeyInfoPem(), PublicMode),
            (CityAckPrivateFile, ack.ExportPkcs8PrivateKeyPem(), PrivateMode),
            (CityAckPublicFile, ack.ExportSubjectPublicKeyInfoPem(), PublicMode),
        ];
    }

    internal static int Write(string verb, string outDirectory, TextWriter stdout, TextWriter stderr, (string Name, string Pem, UnixFileMode Mode)[] files)
    {
        try
        {
            Directory.CreateDirectory(outDirectory);
            var existing = files.Select(f => Path.Combine(outDirectory, f.Name)).Where(File.Exists).ToList();
            if (existing.Count > 0)
            {
                stderr.WriteLine($"sensen-edge {verb}: {string.Join(", ", existing)} already exist(s); refusing to overwrite key material");
                return ExitCodes.CannotCreate;
            }

            foreach (var (name, pem, mode) in files)
            {
                var path = Path.Combine(outDirectory, name);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    // Created with its final mode: a private key is never readable by others, not even for a moment.
                    options.UnixCreateMode = mode;
                }

                using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
                {
                    writer.Write(pem);
                    writer.Write('\n');
                }

                stdout.WriteLine(path);
            }

            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"sensen-edge {verb}: cannot write to {outDirectory}: {e.Message}");
            return ExitCodes.CannotCreate;
        }
    }

    private static Option<string> OutOption() => new("--out") { Description = "Directory to write the files into.", Required = true };

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    internal static partial Regex IdPattern();
}
