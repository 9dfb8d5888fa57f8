using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Receiver;

/// <summary>
/// Reassembly in the output directory, not in RAM, because chunks of one item may reach different receiver
/// instances of one shared-subscription group (docs/PROTOCOL.md, "Receiving"). Every file is written under a
/// temporary name, fsynced and renamed, so a killed instance leaves only whole parts. Completion runs under an
/// exclusive lock file per item (flock through <see cref="FileShare.None"/>), so exactly one instance verifies,
/// decrypts and publishes an item, whichever message completed it.
/// <code>
/// OUT/incoming/DEVICE/ID/manifest.json, manifest.sig, transport, c&lt;CHUNK_BYTES&gt;/&lt;INDEX&gt;.chunk
/// OUT/evidence/DEVICE/ID/clip.mp4, manifest.json, manifest.sig      (published by one directory rename)
/// </code>
/// </summary>
internal sealed class ReceiverStore
{
    private readonly string _incoming;
    private readonly string _evidence;
    private readonly string _deviceKeys;
    private readonly EvidenceOpener _opener;
    private readonly int _maxChunkBytes;
    private readonly long _maxItemBytes;
    private readonly ConcurrentDictionary<string, ECDsa?> _keys = new(StringComparer.Ordinal);

    public ReceiverStore(string outputDirectory, string deviceKeysDirectory, EvidenceOpener opener, int maxChunkBytes, long maxItemBytes)
    {
        _incoming = Path.Combine(outputDirectory, "incoming");
        _evidence = Path.Combine(outputDirectory, "evidence");
        _deviceKeys = deviceKeysDirectory;
        _opener = opener;
        _maxChunkBytes = maxChunkBytes;
        _maxItemBytes = maxItemBytes;
        Directory.CreateDirectory(_incoming);
        Directory.CreateDirectory(_evidence);
    }

    /// <summary>Items this instance verified and wrote (the shared-group test counts these).</summary>
    public int StoredCount => _stored;

    private int _stored;

    /// <summary>Where a stored item's clip and manifest are.</summary>
    public string EvidenceDirectory(string deviceId, string evidenceId) => Path.Combine(_evidence, deviceId, evidenceId);

    public async Task<ReceiveResult> ManifestAsync(string deviceId, string evidenceId, TransportInfo transport, byte[] json, byte[] signature, CancellationToken cancellationToken)
    {
        if (DeviceKey(deviceId) is not { } key)
        {
            return ReceiveResult.Rejected($"no public key for device '{deviceId}' in {_deviceKeys}");
        }

        EvidenceManifest manifest;
        try
        {
            manifest = EvidenceOpener.Verify(json, signature, key);
        }
        catch (EvidenceRejectedException e)
        {
            return ReceiveResult.Rejected(e.Message);
        }

        if (manifest.DeviceId != deviceId || manifest.EvidenceId != evidenceId)
        {
            return ReceiveResult.Rejected("the signed manifest names another device or item than the message");
        }

        if (manifest.Clip.SealedBytes != transport.SealedBytes || transport.Count != Count(transport.SealedBytes, transport.ChunkBytes))
        {
            return ReceiveResult.Rejected("the chunk count or size does not match the signed manifest");
        }

        if (Bounds(transport) is { } bad)
        {
            return ReceiveResult.Rejected(bad);
        }

        if (Directory.Exists(EvidenceDirectory(deviceId, evidenceId)))
        {
            return new ReceiveResult(ReceiveOutcomeKind.AlreadyStored, evidenceId, manifest.Clip.SealedSha256);
        }

        var item = ItemDirectory(deviceId, evidenceId);
        var asked = File.Exists(Path.Combine(item, "manifest.json"));
        Directory.CreateDirectory(item);
        WriteAtomically(Path.Combine(item, "manifest.json"), json);
        WriteAtomically(Path.Combine(item, "manifest.sig"), signature);
        WriteAtomically(Path.Combine(item, "transport"), Encoding.ASCII.GetBytes(transport.ToString()));
        var result = await TryCompleteAsync(deviceId, evidenceId, cancellationToken).ConfigureAwait(false);

        // The first manifest opens an item; a repeated one is the device asking where it stands.
        return result.Kind == ReceiveOutcomeKind.Missing && !asked ? ReceiveResult.Pending : result;
    }

    public async Task<ReceiveResult> ChunkAsync(string deviceId, string evidenceId, TransportInfo transport, int index, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (DeviceKey(deviceId) is null)
        {
            return ReceiveResult.Rejected($"no public key for device '{deviceId}' in {_deviceKeys}");
        }

        if (Bounds(transport) is { } bad)
        {
            return ReceiveResult.Rejected(bad);
        }

        var expected = (int)Math.Min(transport.ChunkBytes, transport.SealedBytes - ((long)index * transport.ChunkBytes));
        if (index < 0 || index >= transport.Count || payload.Length != expected)
        {
            return ReceiveResult.Rejected($"chunk {index} of {transport.Count} has {payload.Length} bytes (expected {expected})");
        }

        if (Directory.Exists(EvidenceDirectory(deviceId, evidenceId)))
        {
            // A re-send that crossed the ack: nothing to do; the device's next question gets the ack again.
            return ReceiveResult.Pending;
        }

        var chunks = Path.Combine(ItemDirectory(deviceId, evidenceId), ChunkFolder(transport.ChunkBytes));
        Directory.CreateDirectory(chunks);
        WriteAtomically(Path.Combine(chunks, ChunkName(index)), payload.Span);
        var result = await TryCompleteAsync(deviceId, evidenceId, cancellationToken).ConfigureAwait(false);
        return result.Kind == ReceiveOutcomeKind.Missing ? ReceiveResult.Pending : result;
    }

    /// <summary>Under the item's lock: if every chunk is there, verify, decrypt and publish the item.</summary>
    private async Task<ReceiveResult> TryCompleteAsync(string deviceId, string evidenceId, CancellationToken cancellationToken)
    {
        var item = ItemDirectory(deviceId, evidenceId);
        var lockPath = Path.Combine(_incoming, deviceId, evidenceId + ".lock");
        using var itemLock = await LockAsync(lockPath, cancellationToken).ConfigureAwait(false);
        var done = EvidenceDirectory(deviceId, evidenceId);
        if (Directory.Exists(done))
        {
            // A chunk re-sent across the ack can recreate the item's folder after completion; it goes here.
            if (Directory.Exists(item))
            {
                Directory.Delete(item, recursive: true);
            }

            // Unlinking a held lock file is safe on Linux: a waiter then locks an unlinked inode and finds the item done.
            File.Delete(lockPath);

            var stored = EvidenceOpener.Verify(File.ReadAllBytes(Path.Combine(done, "manifest.json")), File.ReadAllBytes(Path.Combine(done, "manifest.sig")), DeviceKey(deviceId)!);
            return new ReceiveResult(ReceiveOutcomeKind.AlreadyStored, evidenceId, stored.Clip.SealedSha256);
        }

        var manifestPath = Path.Combine(item, "manifest.json");
        if (!File.Exists(manifestPath) || TransportInfo.TryParse(ReadText(Path.Combine(item, "transport"))) is not { } transport)
        {
            return ReceiveResult.Pending;
        }

        var json = File.ReadAllBytes(manifestPath);
        var signature = File.ReadAllBytes(Path.Combine(item, "manifest.sig"));
        var manifest = EvidenceOpener.Verify(json, signature, DeviceKey(deviceId)!);
        var folder = Path.Combine(item, ChunkFolder(transport.ChunkBytes));
        var paths = Enumerable.Range(0, transport.Count).Select(i => Path.Combine(folder, ChunkName(i))).ToList();
        var missing = Enumerable.Range(0, transport.Count).Where(i => !File.Exists(paths[i])).ToList();
        if (missing.Count > 0)
        {
            return new ReceiveResult(ReceiveOutcomeKind.Missing, evidenceId, manifest.Clip.SealedSha256, missing);
        }

        try
        {
            await using var blob = new ConcatenatedFileStream(paths);
            await EvidencePublication.PublishAsync(_opener, manifest, json, signature, blob, done, cancellationToken).ConfigureAwait(false);
        }
        catch (EvidenceRejectedException e)
        {
            // The parts do not make the signed item (a chunk altered or from another size): drop them and ask for all.
            Directory.Delete(folder, recursive: true);
            return new ReceiveResult(ReceiveOutcomeKind.Missing, evidenceId, manifest.Clip.SealedSha256, [.. Enumerable.Range(0, transport.Count)], e.Message);
        }

        Interlocked.Increment(ref _stored);
        Directory.Delete(item, recursive: true);
        File.Delete(lockPath);
        return new ReceiveResult(ReceiveOutcomeKind.Stored, evidenceId, manifest.Clip.SealedSha256);
    }

    private string? Bounds(TransportInfo transport)
    {
        if (transport.ChunkBytes < 1 || transport.ChunkBytes > _maxChunkBytes)
        {
            return $"chunk size {transport.ChunkBytes} is outside 1..{_maxChunkBytes}";
        }

        if (transport.SealedBytes < 1 || transport.SealedBytes > _maxItemBytes)
        {
            return $"item of {transport.SealedBytes} bytes is outside 1..{_maxItemBytes}";
        }

        return transport.Count != Count(transport.SealedBytes, transport.ChunkBytes) ? "chunk count does not match the sizes" : null;
    }

    private static int Count(long sealedBytes, int chunkBytes) => (int)((sealedBytes + chunkBytes - 1) / chunkBytes);

    private ECDsa? DeviceKey(string deviceId) => _keys.GetOrAdd(deviceId, id =>
    {
        var path = Path.Combine(_deviceKeys, id + ".pem");
        if (!File.Exists(path))
        {
            return null;
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    });

    private string ItemDirectory(string deviceId, string evidenceId) => Path.Combine(_incoming, deviceId, evidenceId);

    private static string ChunkFolder(int chunkBytes) => "c" + chunkBytes.ToString(CultureInfo.InvariantCulture);

    private static string ChunkName(int index) => index.ToString("D6", CultureInfo.InvariantCulture) + ".chunk";

    private static string? ReadText(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // FileShare.None is an exclusive flock(2) on Unix in .NET: another process (or instance) waits here.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 2000)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
