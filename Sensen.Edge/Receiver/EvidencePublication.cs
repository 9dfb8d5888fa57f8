using Sensen.Edge.Vault;

namespace Sensen.Edge.Receiver;

/// <summary>
/// The city side's last step, shared by the receiver (<see cref="ReceiverStore"/>) and <c>sensen-edge evidence open</c>:
/// decrypt a verified package's sealed blob into <c>clip.mp4</c> beside its manifest and signature in a staging folder,
/// fsync, and publish the folder by one rename. Output that does not verify never appears under its final name.
/// </summary>
internal static class EvidencePublication
{
    /// <summary>Decrypts and publishes to <paramref name="destination"/> (which must not exist). Throws <see cref="EvidenceRejectedException"/> when the blob does not open; nothing is left behind then.</summary>
    public static async Task PublishAsync(EvidenceOpener opener, EvidenceManifest manifest, byte[] json, byte[] signature, Stream sealedBlob, string destination, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".staging-{manifest.EvidenceId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var clipPath = Path.Combine(staging, "clip.mp4");
            await using (var clip = new FileStream(clipPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await opener.OpenAsync(manifest, sealedBlob, clip, cancellationToken).ConfigureAwait(false);
                await clip.FlushAsync(cancellationToken).ConfigureAwait(false);
                clip.Flush(flushToDisk: true);
            }

            WriteDurably(Path.Combine(staging, "manifest.json"), json);
            WriteDurably(Path.Combine(staging, "manifest.sig"), signature);
            DirectorySync.Sync(staging);
            Directory.Move(staging, destination);
            DirectorySync.Sync(parent);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static void WriteDurably(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }
}
