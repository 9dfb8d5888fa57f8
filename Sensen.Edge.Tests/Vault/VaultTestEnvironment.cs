using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>A throw-away device: state and credentials directories, a device key, and a city key pair whose private half only the test holds.</summary>
internal sealed class VaultTestEnvironment : IDisposable
{
    public const string ManifestMarker = "cam-MARKER-7f3a9c";

    public VaultTestEnvironment(string? root = null)
    {
        Root = root ?? Directory.CreateTempSubdirectory("vault-test-").FullName;
        StateDirectory = Path.Combine(Root, "state");
        CredentialsDirectory = Path.Combine(Root, "credentials");
        Directory.CreateDirectory(StateDirectory);
        Directory.CreateDirectory(CredentialsDirectory);
        DeviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CityKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(CredentialsDirectory, "device-key"), DeviceKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(CredentialsDirectory, "vault-db-key"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        File.WriteAllBytes(Path.Combine(CredentialsDirectory, "vault-storage-key"), RandomNumberGenerator.GetBytes(32));
        foreach (var credential in Directory.GetFiles(CredentialsDirectory))
        {
            File.SetUnixFileMode(credential, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        CityPublicKeyPath = Path.Combine(Root, "city-public.pem");
        File.WriteAllText(CityPublicKeyPath, CityKey.ExportSubjectPublicKeyInfoPem());
        CityAckKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CityAckPublicKeyPath = Path.Combine(Root, "city-ack-public.pem");
        File.WriteAllText(CityAckPublicKeyPath, CityAckKey.ExportSubjectPublicKeyInfoPem());
        AckSigner = new AckSigner(CityAckKey);
        AckVerifier = new AckVerifier(CityAckKey, DeviceId, Time);
    }

    /// <summary>The device id every <see cref="Settings"/> carries.</summary>
    public const string DeviceId = "unit-test-01";

    public string CityAckPublicKeyPath { get; }

    /// <summary>What the vault is told about clock synchronisation (the kernel's answer is not the test's to set).</summary>
    public bool ClockSynchronized { get; set; } = true;

    /// <summary>The file seam for <see cref="Settings"/>; null for the real <see cref="DurableFileStream"/>.</summary>
    public Func<string, bool, Stream>? OpenFile { get; set; }

    /// <summary>The city's ack-signing key (the receiver's half); only the test holds it.</summary>
    public ECDsa CityAckKey { get; }

    public AckSigner AckSigner { get; }

    public AckVerifier AckVerifier { get; }

    /// <summary>A <c>received</c> ack for <paramref name="record"/> as the city signs it, verified as the uplink would.</summary>
    public VerifiedAck Received(EvidenceRecord record, string? sealedSha256 = null) =>
        Verified(AckSigner.Received(DeviceId, record.Id, sealedSha256 ?? record.SealedSha256, Time.GetUtcNow()));

    /// <summary>Sends <paramref name="record"/> as the uplink does (sending, awaiting_ack) and applies the city's signed receipt.</summary>
    public AckResult Deliver(EvidenceVault vault, EvidenceRecord record)
    {
        vault.MarkSending(record.Id);
        vault.MarkAwaitingAck(record.Id);
        return vault.Acknowledge(Received(record));
    }

    public VerifiedAck Verified(byte[] message)
    {
        var verification = AckVerifier.Verify(message);
        Assert.That(verification.Ack, Is.Not.Null, verification.Message);
        return verification.Ack!;
    }

    public string Root { get; }

    public string StateDirectory { get; }

    public string CredentialsDirectory { get; }

    public string CityPublicKeyPath { get; }

    public ECDsa DeviceKey { get; }

    public ECDiffieHellman CityKey { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    public string DatabasePath => Path.Combine(StateDirectory, "vault.db");

    public string LogPath => Path.Combine(StateDirectory, "vault-log.db");

    public string AuditLogPath => Path.Combine(StateDirectory, "audit.log");

    public string KeysDirectory => Path.Combine(StateDirectory, "vault-keys");

    public VaultSettings Settings(long quotaBytes = 1L << 30, QuotaPolicy policy = QuotaPolicy.RejectNew, bool createIfMissing = true, int retentionDays = 30, string? stateDirectory = null, bool checkFreeSpace = true)
    {
        var state = stateDirectory ?? StateDirectory;
        var credentials = new Sensen.Edge.Configuration.CredentialStore(CredentialsDirectory);
        return new VaultSettings
        {
            DatabasePath = Path.Combine(state, "vault.db"),
            AuditLogPath = Path.Combine(state, "audit.log"),
            KeysDirectory = Path.Combine(state, "vault-keys"),
            DatabasePassword = credentials.ReadText("vault-db-key"),
            StorageRoot = credentials.ReadBytes("vault-storage-key"),
            DeviceKey = VaultSettings.LoadDeviceKey(credentials, "device-key"),
            CityPublicKey = VaultSettings.LoadCityPublicKey(CityPublicKeyPath),
            DeviceId = DeviceId,
            RetentionDays = retentionDays,
            QuotaBytes = quotaBytes,
            QuotaPolicy = policy,
            CreateIfMissing = createIfMissing,
            CheckFreeSpace = checkFreeSpace,
            ClockSynchronized = () => ClockSynchronized,
            OpenFile = OpenFile,
        };
    }

    /// <summary>Opens the vault, seals one clip, closes it again (the starting point of the recovery tests).</summary>
    public async Task<EvidenceRecord> SealInClosedVaultAsync(int length, CancellationToken cancellationToken, int seed = 1)
    {
        using var vault = Open();
        return await vault.SealAsync(Metadata(Time.GetUtcNow()), new MemoryStream(Clip(length, seed)), cancellationToken);
    }

    public EvidenceVault Open(VaultSettings? settings = null) => EvidenceVault.Open(settings ?? Settings(), Time, NullLogger.Instance);

    /// <summary>The example configuration, pointed at this environment's directories and keys.</summary>
    public string WriteConfig()
    {
        var yaml = File.ReadAllText(RepoPaths.ExampleConfig);
        yaml = RunnableConfig.SetScalar(yaml, "state_directory", $"{StateDirectory}\n  credentials_directory: {CredentialsDirectory}");
        yaml = RunnableConfig.SetScalar(yaml, "city_public_key", CityPublicKeyPath);
        yaml = RunnableConfig.SetScalar(yaml, "city_ack_public_key", CityAckPublicKeyPath);
        yaml = RunnableConfig.SetScalar(yaml, "models_directory", RepoPaths.Models);
        var path = Path.Combine(Root, "edge.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public static EvidenceMetadata Metadata(DateTimeOffset at, string camera = ManifestMarker) => new()
    {
        CameraId = camera,
        RuleId = "bus-lane-peak",
        RuleType = "bus_lane",
        EventStart = at.AddSeconds(-3),
        EventEnd = at,
        ClipStart = at.AddSeconds(-8),
        ClipEnd = at.AddSeconds(5),
        ClockSync = new ClockSyncState(true, "ntp", 1500),
        ConfigSha256 = new string('c', 64),
        ModelSha256 = new Dictionary<string, string> { ["face-tiny"] = new string('a', 64), ["ppocr-v4-det"] = new string('b', 64) },
        StreamHealth = new StreamHealth(130, 2, 0, 0, 0),
    };

    /// <summary>Clip bytes with a recognisable pattern, so a search of the files can look for them.</summary>
    public static byte[] Clip(int length, int seed = 1)
    {
        var pattern = Encoding.ASCII.GetBytes($"CLIP-PLAINTEXT-{seed:D4}-");
        var clip = new byte[length];
        for (var i = 0; i < length; i++)
        {
            clip[i] = pattern[i % pattern.Length];
        }

        return clip;
    }

    public void Dispose()
    {
        DeviceKey.Dispose();
        CityKey.Dispose();
        AckVerifier.Dispose();
        CityAckKey.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already disposed.
        }
        catch (IOException)
        {
            // A mount point inside (disk-full test) is removed by that test.
        }
    }
}
