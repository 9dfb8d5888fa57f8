using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>
/// The vault torture tool, test-only: it runs from the test assembly (<c>dotnet Sensen.Edge.Tests.dll vault-torture
/// --state DIR --credentials DIR --city-key PEM --seed N</c>, see <see cref="TestToolProgram"/>) and never ships in
/// the daemon, since it seals made-up evidence and plays the city. It seals and moves evidence through its states
/// until killed, announcing each step on stdout before ("intent") and after ("done") it; the crash-loop test kills
/// it with SIGKILL at random moments and checks the vault against these lines.
/// </summary>
internal static class VaultTorture
{
    public const string Verb = "vault-torture";

    public static Task<int> RunAsync(string[] args)
    {
        string Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"{Verb}: {name} is required");
        return RunAsync(Value("--state"), Value("--credentials"), Value("--city-key"), int.Parse(Value("--seed"), CultureInfo.InvariantCulture), Console.Out, CancellationToken.None);
    }

    /// <summary>The clip for sequence number <paramref name="sequence"/>: its length and bytes follow from the number, so a checker can recompute it.</summary>
    public static byte[] Clip(int sequence)
    {
        var length = 2_000 + (int)((uint)sequence * 7_919u % 180_000u);
        var pattern = Encoding.ASCII.GetBytes($"torture-clip-{sequence.ToString(CultureInfo.InvariantCulture)}|");
        var clip = new byte[length];
        for (var i = 0; i < length; i++)
        {
            clip[i] = pattern[i % pattern.Length];
        }

        return clip;
    }

    public static VaultSettings Settings(string state, string credentials, string cityKey)
    {
        var store = new CredentialStore(credentials);
        return new VaultSettings
        {
            DatabasePath = Path.Combine(state, "vault.db"),
            AuditLogPath = Path.Combine(state, "audit.log"),
            KeysDirectory = Path.Combine(state, "vault-keys"),
            DatabasePassword = store.ReadText("vault-db-key"),
            StorageRoot = store.ReadBytes("vault-storage-key"),
            DeviceKey = VaultSettings.LoadDeviceKey(store, "device-key"),
            CityPublicKey = VaultSettings.LoadCityPublicKey(cityKey),
            DeviceId = "torture-unit",
        };
    }

    private static async Task<int> RunAsync(string state, string credentials, string cityKey, int seed, TextWriter stdout, CancellationToken cancellationToken)
    {
        try
        {
            using var settings = Settings(state, credentials, cityKey);
            using var vault = EvidenceVault.Open(settings, TimeProvider.System, NullLogger.Instance);

            // The torture plays the city too: its own ack key, signing real acks that the real verifier checks.
            using var ackKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var signer = new AckSigner(ackKey);
            using var verifier = new AckVerifier(ackKey, settings.DeviceId, TimeProvider.System);
            var random = new Random(seed);
            var sequence = seed * 10_000;
            await stdout.WriteLineAsync("ready");
            while (!cancellationToken.IsCancellationRequested)
            {
                var live = vault.List();
                if (live.Count < 3 || (live.Count < 12 && random.Next(10) < 4))
                {
                    sequence++;
                    await stdout.WriteLineAsync($"sealing {sequence}");
                    var now = DateTimeOffset.UtcNow;
                    var metadata = new EvidenceMetadata
                    {
                        CameraId = "cam-torture",
                        RuleId = "rule-" + sequence.ToString(CultureInfo.InvariantCulture),
                        RuleType = "bus_lane",
                        EventStart = now,
                        EventEnd = now,
                        ClipStart = now,
                        ClipEnd = now,
                        ClockSync = new ClockSyncState(false, "none"),
                        ConfigSha256 = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(seed))),
                        StreamHealth = new StreamHealth(0, 0, 0, 0, 0),
                    };
                    var record = await vault.SealAsync(metadata, new MemoryStream(Clip(sequence)), cancellationToken);
                    await stdout.WriteLineAsync($"sealed {sequence} {record.Id} {record.SealedSha256}");
                    continue;
                }

                var item = live[random.Next(live.Count)];
                if (random.Next(10) == 0)
                {
                    await stdout.WriteLineAsync($"moving {item.Id}");
                    _ = item.LegalHold ? vault.Release(item.Id) : vault.Hold(item.Id, "torture hold " + item.Id);
                    continue;
                }

                switch (item.State)
                {
                    case EvidenceState.Sealed:
                        await stdout.WriteLineAsync($"moving {item.Id}");
                        vault.MarkSending(item.Id);
                        break;
                    case EvidenceState.Sending:
                        await stdout.WriteLineAsync($"moving {item.Id}");
                        vault.MarkAwaitingAck(item.Id);
                        break;
                    case EvidenceState.AwaitingAck when random.Next(10) < 7:
                        await stdout.WriteLineAsync($"acking {item.Id}");
                        vault.Acknowledge(verifier.Verify(signer.Received(settings.DeviceId, item.Id, item.SealedSha256, DateTimeOffset.UtcNow)).Ack!);
                        await stdout.WriteLineAsync($"acked {item.Id}");
                        break;
                    default:
                        await stdout.WriteLineAsync($"moving {item.Id}");
                        vault.Requeue(item.Id, "ack_timeout");
                        break;
                }
            }

            return ExitCodes.Ok;
        }
        catch (VaultException e)
        {
            await Console.Error.WriteLineAsync(Verb + ": " + e.Message);
            return e.ExitCode;
        }
    }
}
