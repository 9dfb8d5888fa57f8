using System.Security.Cryptography;
using System.Text;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Vault;

/// <summary>Everything the vault needs, resolved: absolute paths and loaded keys. Built from the config by <see cref="Load"/>.</summary>
internal sealed class VaultSettings : IDisposable
{
    public required string DatabasePath { get; init; }

    public required string AuditLogPath { get; init; }

    public required string KeysDirectory { get; init; }

    public required string DatabasePassword { get; init; }

    public required byte[] StorageRoot { get; init; }

    public required ECDsa DeviceKey { get; init; }

    public required ECDiffieHellman CityPublicKey { get; init; }

    /// <summary>The key that signs the city's acknowledgements (<c>vault.city_ack_public_key</c>).</summary>
    public ECDsa? CityAckPublicKey { get; init; }

    public TimeSpan AckMaxAge { get; init; } = AckVerifier.DefaultMaxAge;

    public required string DeviceId { get; init; }

    public int RetentionDays { get; init; } = 30;

    public int KeyEpochDays { get; init; } = 7;

    public long QuotaBytes { get; init; } = 4096L * 1024 * 1024;

    public QuotaPolicy QuotaPolicy { get; init; } = QuotaPolicy.RejectNew;

    /// <summary>The daemon may create a missing database (when that is safe); the verbs never do.</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>Refuse a seal up front when the file system lacks room for it; tests turn it off to reach the OS's ENOSPC path.</summary>
    public bool CheckFreeSpace { get; init; } = true;

    /// <summary>Whether the system clock is synchronised (retention trusts it only then); the kernel's answer by default.</summary>
    public Func<bool> ClockSynchronized { get; init; } = KernelClock.IsSynchronized;

    /// <summary>The file seam under LiteDB (path, create → stream); <see cref="DurableFileStream"/> unless a test simulates power cuts.</summary>
    public Func<string, bool, Stream>? OpenFile { get; init; }

    /// <summary>LiteDB's log file, named as LiteDB names it (<c>vault-log.db</c>).</summary>
    public string LogPath => VaultDatabase.LogPathOf(DatabasePath);

    public static VaultSettings Load(EdgeOptions options, string configDirectory, bool createIfMissing)
    {
        var vault = options.Vault;
        var credentials = CredentialStore.FromOptions(options.Device);
        var state = Path.GetFullPath(options.Device.StateDirectory, configDirectory);
        var password = ReadCredential(credentials, vault.DatabaseKeyCredential, "database key");
        var root = ReadCredentialBytes(credentials, vault.StorageKeyCredential, "storage key");
        var deviceKey = LoadDeviceKey(credentials, vault.DeviceKeyCredential);
        ECDiffieHellman? city = null;
        ECDsa? ack = null;
        try
        {
            city = LoadCityPublicKey(Path.GetFullPath(vault.CityPublicKey, configDirectory));
            ack = LoadCityAckPublicKey(Path.GetFullPath(vault.CityAckPublicKey, configDirectory), city);
            return new VaultSettings
            {
                DatabasePath = Path.GetFullPath(vault.Path, state),
                AuditLogPath = Path.GetFullPath(vault.AuditLog, state),
                KeysDirectory = Path.Combine(state, "vault-keys"),
                DatabasePassword = password,
                StorageRoot = root,
                DeviceKey = deviceKey,
                CityPublicKey = city,
                CityAckPublicKey = ack,
                AckMaxAge = TimeSpan.FromDays(vault.AckMaxAgeDays),
                DeviceId = options.Device.Id,
                RetentionDays = vault.RetentionDays,
                KeyEpochDays = vault.KeyEpochDays,
                QuotaBytes = vault.QuotaMegabytes * 1024 * 1024,
                QuotaPolicy = vault.QuotaPolicy,
                CreateIfMissing = createIfMissing,
            };
        }
        catch
        {
            deviceKey.Dispose();
            city?.Dispose();
            ack?.Dispose();
            throw;
        }
    }

    /// <summary>The verifier for this unit's acks; the caller disposes it. Throws when no ack key was loaded.</summary>
    public AckVerifier CreateAckVerifier(TimeProvider time, Microsoft.Extensions.Logging.ILogger logger) =>
        new(CityAckPublicKey ?? throw new VaultException(VaultErrorKind.Credential, "vault.city_ack_public_key: no city ack key is loaded"), DeviceId, time, logger, AckMaxAge);

    /// <summary>
    /// The city's ack key: an ECDSA P-256 public key in PEM, and not the sealing key. One key for both would let
    /// whoever can unwrap clips also forge the acks that delete them, and mixes ECDH and ECDSA use of one key
    /// (NIST SP 800-57 Part 1 §5.2: one key, one purpose).
    /// </summary>
    public static ECDsa LoadCityAckPublicKey(string path, ECDiffieHellman? cityPublicKey) =>
        LoadPublicKey("vault.city_ack_public_key", path, ECDsa.Create, "the city's public ack key", " (make the city's keys with: sensen-edge keys city --out DIR)", key =>
        {
            if (cityPublicKey is not null && key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(cityPublicKey.ExportSubjectPublicKeyInfo()))
            {
                throw new VaultException(VaultErrorKind.Credential, $"vault.city_ack_public_key: {path} is the city's sealing key; acks are signed with a separate key (city-ack-public.pem from sensen-edge keys city)");
            }
        });

    public static ECDsa LoadDeviceKey(CredentialStore credentials, string name)
    {
        var pem = ReadCredential(credentials, name, "device signing key");
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new VaultException(VaultErrorKind.Credential, $"credential '{name}' is not a P-256 key (make one with: sensen-edge keys device --out DIR)");
            }

            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new VaultException(VaultErrorKind.Credential, $"credential '{name}' is not an EC private key in PEM (make one with: sensen-edge keys device --out DIR)", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static ECDiffieHellman LoadCityPublicKey(string path) =>
        LoadPublicKey("vault.city_public_key", path, ECDiffieHellman.Create, "the city's public key", "", null);

    /// <summary>A P-256 public key from a PEM file; every refusal names the config key and the path, never the content.</summary>
    private static T LoadPublicKey<T>(string configKey, string path, Func<T> create, string what, string readHint, Action<T>? check)
        where T : ECAlgorithm
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VaultException(VaultErrorKind.Credential, $"{configKey}: cannot read {path}: {e.Message}{readHint}", e);
        }

        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new VaultException(VaultErrorKind.Credential, $"{configKey}: {path} holds a private key; the device must only have {what}");
        }

        var key = create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new VaultException(VaultErrorKind.Credential, $"{configKey}: {path} is not a P-256 key");
            }

            check?.Invoke(key);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new VaultException(VaultErrorKind.Credential, $"{configKey}: {path} is not an EC public key in PEM", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        DeviceKey.Dispose();
        CityPublicKey.Dispose();
        CityAckPublicKey?.Dispose();
        CryptographicOperations.ZeroMemory(StorageRoot);
    }

    private static string ReadCredential(CredentialStore credentials, string name, string what) =>
        Encoding.UTF8.GetString(ReadCredentialBytes(credentials, name, what)).TrimEnd('\r', '\n');

    private static byte[] ReadCredentialBytes(CredentialStore credentials, string name, string what)
    {
        try
        {
            // A secret its group or other users can read is not a secret: refused, and the bytes wiped (the check is
            // the one check-config runs, CredentialStore.EnsurePrivate; reading first keeps "not found" its own message).
            var bytes = credentials.ReadBytes(name);
            try
            {
                credentials.EnsurePrivate(name);
            }
            catch
            {
                CryptographicOperations.ZeroMemory(bytes);
                throw;
            }

            return bytes;
        }
        catch (CredentialException e)
        {
            throw new VaultException(VaultErrorKind.Credential, $"vault {what}: {e.Message}", e);
        }
    }
}
