using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sensen.Edge.Vault;

/// <summary>
/// Rotating storage keys for crypto-shredding (docs/VAULT.md, "Crypto-shredding"). Epoch n covers
/// [n·d, (n+1)·d) days since the Unix epoch. Its key is HKDF-SHA256(IKM = the storage-key credential,
/// salt = a random 32-byte epoch secret, info = "sensen-edge/1 storage-epoch" ‖ n). The epoch secret
/// lives in its own small file (<c>epoch-NNNNNNNN.key</c>, 0600), not in the database, so that when the
/// last record of an epoch is deleted the secret can be overwritten and unlinked, and every remnant of
/// that epoch's records in the database file, its log or freed flash pages becomes undecryptable even to
/// someone who later obtains the credential.
/// </summary>
internal sealed class StorageKeyRing : IDisposable
{
    private const string Prefix = "epoch-";
    private const string Suffix = ".key";
    private const int SecretBytes = 32;

    private readonly string _directory;
    private readonly byte[] _root;
    private readonly long _epochSeconds;
    private readonly Dictionary<long, byte[]> _keys = [];
    private readonly byte[] _macKey;

    public StorageKeyRing(string directory, byte[] root, int epochDays)
    {
        if (root.Length < 16)
        {
            throw new VaultException(VaultErrorKind.Credential, "the storage-key credential is shorter than 16 bytes; use 32 random bytes");
        }

        _directory = directory;
        _root = root;
        _epochSeconds = epochDays * 86_400L;

        // Not an epoch key: a record's MAC must verify for as long as the record lives, across epochs.
        _macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, root, SealingFormat.KeyBytes, salt: [], info: Encoding.ASCII.GetBytes("sensen-edge/1 record-mac"));
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public long EpochOf(DateTimeOffset time) => Math.Max(0, time.ToUnixTimeSeconds()) / _epochSeconds;

    /// <summary>Epochs whose secret still exists on disk.</summary>
    public IReadOnlyList<long> Epochs() =>
        Directory.EnumerateFiles(_directory, Prefix + "*" + Suffix)
            .Select(f => Path.GetFileName(f)[Prefix.Length..^Suffix.Length])
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n >= 0)
            .Order()
            .ToList();

    /// <summary>Encrypts stored bytes: nonce (12) ‖ AES-256-GCM ciphertext ‖ tag (16), bound to <paramref name="aad"/>.</summary>
    public byte[] Protect(long epoch, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext)
    {
        var key = KeyFor(epoch, create: true);
        var output = new byte[SealingFormat.NonceBytes + plaintext.Length + SealingFormat.TagBytes];
        var nonce = output.AsSpan(0, SealingFormat.NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, SealingFormat.TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(SealingFormat.NonceBytes, plaintext.Length), output.AsSpan(SealingFormat.NonceBytes + plaintext.Length), aad);
        return output;
    }

    public byte[] Unprotect(long epoch, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> stored)
    {
        var key = KeyFor(epoch, create: false);
        var length = stored.Length - SealingFormat.NonceBytes - SealingFormat.TagBytes;
        if (length < 0)
        {
            throw new CryptographicException("stored record is too short");
        }

        var plaintext = new byte[length];
        using var aes = new AesGcm(key, SealingFormat.TagBytes);
        aes.Decrypt(stored[..SealingFormat.NonceBytes], stored.Slice(SealingFormat.NonceBytes, length), stored[^SealingFormat.TagBytes..], plaintext, aad);
        return plaintext;
    }

    /// <summary>HMAC-SHA256 of a record's clear fields under the credential-derived record key.</summary>
    public byte[] RecordMac(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_macKey, data);

    /// <summary>A keyed, salted hash of an operator's text (a hold reason) for the audit log: it proves a claimed reason without revealing it, and cannot be looked up in a dictionary without the credential.</summary>
    public byte[] TextHash(ReadOnlySpan<byte> salt, string text) =>
        HMACSHA256.HashData(_macKey, (byte[])[.. Encoding.ASCII.GetBytes("sensen-edge/1 audit-text|"), .. salt, .. Encoding.UTF8.GetBytes(text)]);

    /// <summary>Makes sure the epoch's secret exists on disk (durably) before anything is stored under it.</summary>
    public void Ensure(long epoch) => KeyFor(epoch, create: true);

    /// <summary>Overwrites, syncs and unlinks the epoch secret, then forgets the derived key.</summary>
    public void Destroy(long epoch)
    {
        if (_keys.Remove(epoch, out var key))
        {
            CryptographicOperations.ZeroMemory(key);
        }

        var path = PathOf(epoch);
        if (!File.Exists(path))
        {
            return;
        }

        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(new byte[SecretBytes]);
            file.Flush(flushToDisk: true);
        }

        File.Delete(path);
        DirectorySync.Sync(_directory);
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        _keys.Clear();
        CryptographicOperations.ZeroMemory(_macKey);
    }

    private byte[] KeyFor(long epoch, bool create)
    {
        if (_keys.TryGetValue(epoch, out var cached))
        {
            return cached;
        }

        var path = PathOf(epoch);
        byte[] secret;
        if (File.Exists(path))
        {
            secret = File.ReadAllBytes(path);
            if (secret.Length != SecretBytes || secret.All(b => b == 0))
            {
                throw new CryptographicException($"storage epoch {epoch} has no usable key (destroyed or damaged)");
            }
        }
        else if (create)
        {
            secret = RandomNumberGenerator.GetBytes(SecretBytes);
            var temporary = path + ".tmp";
            // Created 0600, never chmod-ed after: there is no moment at which the secret is readable by others.
            // A leftover .tmp from a crash is replaced (CreateNew would refuse it); it was never renamed, so never used.
            File.Delete(temporary);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temporary, options))
            {
                file.Write(secret);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path);
            DirectorySync.Sync(_directory);
        }
        else
        {
            throw new CryptographicException($"storage epoch {epoch} has no key (destroyed)");
        }

        var info = Encoding.ASCII.GetBytes("sensen-edge/1 storage-epoch " + epoch.ToString(CultureInfo.InvariantCulture));
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, _root, SealingFormat.KeyBytes, secret, info);
        CryptographicOperations.ZeroMemory(secret);
        _keys[epoch] = key;
        return key;
    }

    private string PathOf(long epoch) => Path.Combine(_directory, Prefix + epoch.ToString("D8", CultureInfo.InvariantCulture) + Suffix);
}
