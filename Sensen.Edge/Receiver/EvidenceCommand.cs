using System.CommandLine;
using System.Security.Cryptography;
using Sensen.Edge.Cli;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Receiver;

/// <summary>
/// <c>sensen-edge evidence open --city-key FILE --device-key FILE --in FILE --out DIR</c>: the city side of
/// <c>queue export</c>. Verifies the device's signature over the manifest (with the device's public key, which the
/// city holds from enrolment: a key inside the package would prove nothing), checks the manifest and the sealed
/// blob's size and hashes, decrypts with the city key, and writes <c>clip.mp4</c>, <c>manifest.json</c> and
/// <c>manifest.sig</c> into DIR, the way the receiver stores an item (<see cref="EvidencePublication"/>).
/// </summary>
internal static class EvidenceCommand
{
    public static Command Create()
    {
        var cityKey = new Option<string>("--city-key") { Description = "The city's private key (city-private.pem from 'sensen-edge keys city').", Required = true };
        var deviceKey = new Option<string>("--device-key") { Description = "The device's public key (device-public.pem from 'sensen-edge keys device').", Required = true };
        var input = new Option<string>("--in") { Description = "The package file ('sensen-edge queue export').", Required = true };
        var output = new Option<string>("--out") { Description = "The directory to create for the clip and its manifest (must not exist).", Required = true };
        var open = new Command("open", "Verify and decrypt an exported evidence package with the city key.") { cityKey, deviceKey, input, output };
        open.SetAction(async (r, cancellationToken) => await OpenAsync(r.GetValue(cityKey)!, r.GetValue(deviceKey)!, r.GetValue(input)!, r.GetValue(output)!, Console.Out, Console.Error, cancellationToken));
        var command = new Command("evidence", "City-side tools for evidence packages.") { open };
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge evidence: choose open (see --help)");
            return ExitCodes.Usage;
        });
        return command;
    }

    internal static async Task<int> OpenAsync(string cityKeyPath, string deviceKeyPath, string inputPath, string outputDirectory, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (Directory.Exists(outputDirectory) || File.Exists(outputDirectory))
        {
            await stderr.WriteLineAsync($"sensen-edge evidence open: {outputDirectory} exists; give a new directory");
            return ExitCodes.CannotCreate;
        }

        using var city = ECDiffieHellman.Create();
        using var device = ECDsa.Create();
        try
        {
            city.ImportFromPem(await File.ReadAllTextAsync(cityKeyPath, cancellationToken));
            city.ExportParameters(includePrivateParameters: true);
            device.ImportFromPem(await File.ReadAllTextAsync(deviceKeyPath, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"sensen-edge evidence open: cannot read a key: {e.Message}");
            return ExitCodes.NoInput;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            await stderr.WriteLineAsync($"sensen-edge evidence open: --city-key must be the city's private P-256 key and --device-key the device's public P-256 key (PEM): {e.Message}");
            return ExitCodes.Config;
        }

        try
        {
            await using var package = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var (json, signature, sealedBytes) = EvidencePackageFile.ReadHeader(package);
            var manifest = EvidenceOpener.Verify(json, signature, device);
            if (manifest.Clip.SealedBytes != sealedBytes || package.Length - package.Position != sealedBytes)
            {
                throw new EvidenceRejectedException("the package's sealed blob does not have the size its signed manifest states");
            }

            await EvidencePublication.PublishAsync(new EvidenceOpener(city), manifest, json, signature, package, outputDirectory, cancellationToken);
            await stdout.WriteLineAsync($"{manifest.EvidenceId}: verified (device {manifest.DeviceId}, key {manifest.DeviceKeyId[..16]}…) and decrypted: {Path.Combine(outputDirectory, "clip.mp4")} ({manifest.Clip.PlaintextBytes} bytes, sha256 {manifest.Clip.PlaintextSha256}), camera {manifest.CameraId}, rule {manifest.RuleId} ({manifest.RuleType}), {manifest.Events.Count} event(s), {manifest.ClipStart} .. {manifest.ClipEnd}");
            return ExitCodes.Ok;
        }
        catch (FileNotFoundException)
        {
            await stderr.WriteLineAsync($"sensen-edge evidence open: no package at {inputPath}");
            return ExitCodes.NoInput;
        }
        catch (EvidenceRejectedException e)
        {
            await stderr.WriteLineAsync($"sensen-edge evidence open: refused: {e.Message}; nothing was written");
            return ExitCodes.DataError;
        }
    }
}
