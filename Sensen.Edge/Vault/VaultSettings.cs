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

    public required string DeviceId { get; init; }

    public int RetentionDays { get; init; } = 30;

    public int KeyEpochDays { get; init; } = 7;

    public long QuotaBytes { get; init; } = 4096L * 1024 * 1024;

    public QuotaPolicy QuotaPolicy { get; init; } = QuotaPolicy.RejectNew;

    /// <summary>The daemon may create a missing database (when that is safe); the verbs never do.</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>Refuse a seal up front when the file system lacks room for it; tests turn it off to reach the OS's ENOSPC path.</summary>
    public bool CheckFreeSpace { get; init; } = true;

    /// <summary>LiteDB's log file, named as LiteDB names it (<c>vault-log.db</c>).</summary>
    public string LogPath => Path.Combine(Path.GetDirectoryName(DatabasePath)!, Path.GetFileNameWithoutExtension(DatabasePath) + "-log" + Path.GetExtension(DatabasePath));

    public static VaultSettings Load(EdgeOptions options, string configDirectory, bool createIfMissing)
    {
        var vault = options.Vault;
        var credentials = CredentialStore.FromOptions(options.Device);
        var state = Path.GetFullPath(options.Device.StateDirectory, configDirectory);
        var password = ReadCredential(credentials, vault.DatabaseKeyCredential, "database key");
        var root = ReadCredentialBytes(credentials, vault.StorageKeyCredential, "storage key");
        var deviceKey = LoadDeviceKey(credentials, vault.DeviceKeyCredential);
        try
        {
            return new VaultSettings
            {
                DatabasePath = Path.GetFullPath(vault.Path, state),
                AuditLogPath = Path.GetFullPath(vault.AuditLog, state),
                KeysDirectory = Path.Combine(state, "vault-keys"),
                DatabasePassword = password,
                StorageRoot = root,
                DeviceKey = deviceKey,
                CityPublicKey = LoadCityPublicKey(Path.GetFullPath(vault.CityPublicKey, configDirectory)),
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
            throw;
        }
    }

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

    public static ECDiffieHellman LoadCityPublicKey(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VaultException(VaultErrorKind.Credential, $"vault.city_public_key: cannot read {path}: {e.Message}", e);
        }

        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new VaultException(VaultErrorKind.Credential, $"vault.city_public_key: {path} holds a private key; the device must only have the city's public key");
        }

        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new VaultException(VaultErrorKind.Credential, $"vault.city_public_key: {path} is not a P-256 key");
            }

            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new VaultException(VaultErrorKind.Credential, $"vault.city_public_key: {path} is not an EC public key in PEM", e);
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
        CryptographicOperations.ZeroMemory(StorageRoot);
    }

    private static string ReadCredential(CredentialStore credentials, string name, string what) =>
        Encoding.UTF8.GetString(ReadCredentialBytes(credentials, name, what)).TrimEnd('\r', '\n');

    private static byte[] ReadCredentialBytes(CredentialStore credentials, string name, string what)
    {
        try
        {
            return credentials.ReadBytes(name);
        }
        catch (CredentialException e)
        {
            throw new VaultException(VaultErrorKind.Credential, $"vault {what}: {e.Message}", e);
        }
    }
}
