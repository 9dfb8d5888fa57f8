using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Receiver;

/// <summary><c>sensen-edge receiver --config FILE</c>: the reference city endpoint, until SIGTERM or Ctrl-C.</summary>
internal static class ReceiverCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The receiver's YAML file (see config/receiver.yaml).", Required = true };
        var command = new Command("receiver", "Run the reference city receiver: reassemble, verify, decrypt, store, and acknowledge evidence.") { config };
        command.SetAction(async (r, cancellationToken) => await RunAsync(r.GetValue(config)!, Console.Error, cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string path, TextWriter stderr, CancellationToken cancellationToken)
    {
        var (options, directory, errors, missing) = ReceiverConfigLoader.Load(path);
        if (options is null)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync(error.ToString());
            }

            if (missing)
            {
                return ExitCodes.NoInput;
            }

            await stderr.WriteLineAsync($"{errors.Count} error(s)");
            return ExitCodes.Config;
        }

        using var loggers = LoggerFactory.Create(b =>
        {
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        var logger = loggers.CreateLogger("Sensen.Edge.Receiver");
        CityReceiver receiver;
        try
        {
            receiver = Build(options, directory, logger);
        }
        catch (Exception e) when (e is UplinkException or CredentialException or CryptographicException or IOException)
        {
            await stderr.WriteLineAsync($"sensen-edge receiver: {e.Message}");
            return ExitCodes.Config;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        await using (receiver)
        {
            await receiver.RunAsync(stop.Token);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Loads keys and certificates and makes the receiver (tests build it this way too).</summary>
    /// <param name="tune">Tests shorten the reconnect back-off here.</param>
    internal static CityReceiver Build(ReceiverOptions options, string directory, ILogger logger, Func<MqttEndpoint, MqttEndpoint>? tune = null)
    {
        var credentials = new CredentialStore(options.CredentialsDirectory is { } c ? Path.GetFullPath(c, directory)
            : Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY") ?? CredentialStore.FallbackDirectory);
        var endpoint = new MqttEndpoint
        {
            Broker = new Uri(options.Broker),
            ClientId = options.ClientId,
            KeepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds),
        };
        if (!endpoint.Insecure)
        {
            endpoint = endpoint with
            {
                TrustRoots = UplinkCredentials.LoadTrustRoots(Path.GetFullPath(options.CaFile!, directory), "ca_file"),
                ClientCertificate = UplinkCredentials.LoadClientCertificate(Path.GetFullPath(options.ClientCertificate!, directory), "client_certificate",
                    ReadCredential(credentials, options.ClientKeyCredential, "client_key_credential"), options.ClientKeyCredential),
            };
        }

        endpoint = tune?.Invoke(endpoint) ?? endpoint;
        var cityKey = ECDiffieHellman.Create();
        cityKey.ImportFromPem(ReadCredential(credentials, options.CityKeyCredential, "city_key_credential"));
        var ackKey = ECDsa.Create();
        ackKey.ImportFromPem(ReadCredential(credentials, options.AckKeyCredential, "ack_key_credential"));
        var store = new ReceiverStore(Path.GetFullPath(options.OutputDirectory, directory), Path.GetFullPath(options.DeviceKeysDirectory, directory),
            new EvidenceOpener(cityKey), options.MaxChunkBytes, options.MaxItemMegabytes * 1024L * 1024L);
        return new CityReceiver(endpoint, store, new AckSigner(ackKey), options.TopicPrefix, options.ShareGroup, TimeProvider.System, logger);
    }

    private static string ReadCredential(CredentialStore credentials, string name, string key)
    {
        try
        {
            return credentials.ReadText(name);
        }
        catch (CredentialException e)
        {
            throw new UplinkException($"{key}: {e.Message}", e);
        }
    }
}
