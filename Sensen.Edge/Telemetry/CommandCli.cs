using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// <c>sensen-edge command keygen|sign|send</c>: an operator's key pair, a signed remote command (docs/TELEMETRY.md
/// "Commands"), and sending one to a unit through the broker. Also the remote path of <c>queue hold|release</c>.
/// </summary>
internal static class CommandCli
{
    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static Command Create()
    {
        var command = new Command("command", "Operator tools for signed remote commands (docs/TELEMETRY.md).");

        var outDir = new Option<string>("--out") { Description = "Directory for ID.key (private, 0600) and ID.pem (public).", Required = true };
        var keyId = new Option<string>("--id") { Description = "The operator id (telemetry.operators[].id).", Required = true };
        var keygen = new Command("keygen", "Make an operator's P-256 key pair.") { outDir, keyId };
        keygen.SetAction(r => Keygen(r.GetValue(outDir)!, r.GetValue(keyId)!, Console.Out, Console.Error));

        var sign = new Command("sign", "Print a signed command (JWS compact) on stdout.");
        var args = new CommandArgumentOptions(sign);
        sign.SetAction(r => Sign(args.Read(r), Console.Out, Console.Error));

        var send = new Command("send", "Sign a command, publish it on the unit's command topic and wait for its result.");
        var sendArgs = new CommandArgumentOptions(send);
        var transport = new CommandTransportOptions(send, brokerRequired: true);
        var prefix = new Option<string>("--prefix") { Description = "uplink.topic_prefix of the unit.", DefaultValueFactory = _ => "sensen" };
        send.Options.Add(prefix);
        send.SetAction((r, ct) => SendAsync(sendArgs.Read(r), transport.Read(r, null), r.GetValue(prefix)!, Console.Out, Console.Error, ct));

        command.Subcommands.Add(keygen);
        command.Subcommands.Add(sign);
        command.Subcommands.Add(send);
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge command: choose keygen, sign or send (see --help)");
            return ExitCodes.Usage;
        });
        return command;
    }

    internal static int Keygen(string directory, string id, TextWriter stdout, TextWriter stderr)
    {
        if (!ValidationContext.IsIdentifier(id))
        {
            stderr.WriteLine($"sensen-edge command keygen: '{id}' is not a valid id (1-64 letters, digits, '.', '-', '_')");
            return ExitCodes.Usage;
        }

        Directory.CreateDirectory(directory);
        var privatePath = Path.Combine(directory, id + ".key");
        var publicPath = Path.Combine(directory, id + ".pem");
        if (File.Exists(privatePath))
        {
            stderr.WriteLine($"sensen-edge command keygen: {privatePath} exists; not overwritten");
            return ExitCodes.CannotCreate;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(privatePath, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(privatePath, PrivateMode);
        }

        File.WriteAllText(privatePath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem());
        stdout.WriteLine($"{privatePath}: the operator's private key (keep it off the unit)");
        stdout.WriteLine($"{publicPath}: for telemetry.operators[].public_key");
        return ExitCodes.Ok;
    }

    internal static int Sign(CommandSignRequest request, TextWriter stdout, TextWriter stderr)
    {
        if (!TrySign(request, stderr, out var signed, out _))
        {
            return ExitCodes.Usage;
        }

        stdout.WriteLine(Encoding.ASCII.GetString(signed));
        return ExitCodes.Ok;
    }

    internal static async Task<int> SendAsync(CommandSignRequest request, CommandTransport transport, string prefix, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!TrySign(request, stderr, out var signed, out var nonce))
        {
            return ExitCodes.Usage;
        }

        MqttEndpoint endpoint;
        try
        {
            endpoint = RemoteCommandClient.Endpoint(transport.Broker, transport.CaFile, transport.CertificateFile, transport.ClientKeyFile, request.OperatorId);
        }
        catch (Exception e) when (e is UplinkException or IOException or UnauthorizedAccessException or UriFormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            // Names the files and what is wrong with them, never key material.
            stderr.WriteLine($"sensen-edge command send: cannot use --broker/--ca/--cert/--client-key: {e.Message}");
            return ExitCodes.Config;
        }

        try
        {
            var result = await RemoteCommandClient.SendAsync(endpoint, prefix, request.DeviceId, signed, nonce, transport.Timeout, cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                stderr.WriteLine($"sensen-edge command send: no result from {request.DeviceId} within {transport.Timeout.TotalSeconds:0} s (is it online? see PREFIX/DEVICE/availability)");
                return ExitCodes.TempFail;
            }

            stdout.WriteLine(JsonSerializer.Serialize(result, CanonicalJson.Options));
            return result.Outcome == CommandHandler.Accepted ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (UplinkSendException e)
        {
            stderr.WriteLine($"sensen-edge command send: {e.Message}");
            return ExitCodes.NoPermission;
        }
    }

    private static bool TrySign(CommandSignRequest request, TextWriter stderr, out byte[] signed, out string nonce)
    {
        signed = [];
        nonce = CommandSigner.NewNonce();
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(request.KeyFile));
            signed = new CommandSigner(request.OperatorId, key).Sign(request.DeviceId, request.Command, DateTimeOffset.UtcNow, request.EvidenceId, request.Reason, request.Level, nonce);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            // The message names the file, never its content.
            stderr.WriteLine($"sensen-edge command: cannot sign with {request.KeyFile}: {e.Message}");
            return false;
        }
    }
}
