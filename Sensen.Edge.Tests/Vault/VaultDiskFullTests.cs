using System.Diagnostics;
using System.Security.Cryptography;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>A real full disk: the vault lives on a 2 MiB tmpfs (the tests run as root; elsewhere the test is ignored, saying why).</summary>
[TestFixture]
[NonParallelizable]
internal sealed class VaultDiskFullTests
{
    [TestCase(true, TestName = "SealAsync_FilesystemFills_RejectedUpFrontNothingLostAndRecovers")]
    [TestCase(false, TestName = "SealAsync_FilesystemFillsWithoutFreeSpaceCheck_OsErrorHandledNothingLostAndRecovers")]
    [CancelAfter(60_000)]
    public async Task SealAsync_FilesystemFills_RejectedCleanlyNothingLostAndRecovers(bool checkFreeSpace, CancellationToken cancellationToken)
    {
        using var env = new VaultTestEnvironment();
        var mount = Path.Combine(env.Root, "small");
        Directory.CreateDirectory(mount);
        var (mounted, why) = await RunAsync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mount], cancellationToken);
        if (!mounted)
        {
            Assert.Ignore("cannot mount a 2 MiB tmpfs here: " + why);
        }

        try
        {
            var state = Path.Combine(mount, "state");
            var filler = Path.Combine(mount, "filler");
            File.WriteAllBytes(filler, new byte[256 * 1024]);
            var stored = new List<EvidenceRecord>();
            VaultException? full = null;
            using (var vault = env.Open(env.Settings(stateDirectory: state, checkFreeSpace: checkFreeSpace)))
            {
                for (var i = 0; i < 30 && full is null; i++)
                {
                    try
                    {
                        stored.Add(await vault.SealAsync(VaultTestEnvironment.Metadata(env.Time.GetUtcNow()), new MemoryStream(RandomNumberGenerator.GetBytes(200_000)), cancellationToken));
                    }
                    catch (VaultException e)
                    {
                        full = e;
                    }
                }

                Assert.That(full, Is.Not.Null, "the disk never filled");
                Assert.That(full!.Kind, Is.EqualTo(VaultErrorKind.Full), full.ToString());
                Assert.That(full.Message, Does.StartWith($"the disk under {state} is full"));
                Assert.That(full.InnerException, checkFreeSpace ? Is.Null : Is.InstanceOf<IOException>().With.Message.Contains("No space left on device"), "which path refused it");
                Assert.That(stored, Has.Count.GreaterThanOrEqualTo(2));

                var again = Assert.ThrowsAsync<VaultException>(() => vault.SealAsync(VaultTestEnvironment.Metadata(env.Time.GetUtcNow()), new MemoryStream(RandomNumberGenerator.GetBytes(200_000)), cancellationToken));
                var refused = await again;
                Assert.That(refused!.Kind, Is.EqualTo(VaultErrorKind.Full), "still full: refused again, no crash: " + refused);
                AssertIntact(vault, stored);
            }

            // The operator (or the uplink's deletions) frees space; the vault carries on from its last durable state.
            File.Delete(filler);
            using (var reopened = env.Open(env.Settings(stateDirectory: state, checkFreeSpace: checkFreeSpace)))
            {
                AssertIntact(reopened, stored);
                Assert.That(env.Deliver(reopened, stored[0]), Is.EqualTo(AckResult.Deleted));
                Assert.That(env.Deliver(reopened, stored[1]), Is.EqualTo(AckResult.Deleted));

                var after = await reopened.SealAsync(VaultTestEnvironment.Metadata(env.Time.GetUtcNow()), new MemoryStream(RandomNumberGenerator.GetBytes(200_000)), cancellationToken);
                Assert.That(reopened.Find(after.Id), Is.Not.Null, "space freed by deletions is used again");
                AssertIntact(reopened, stored.Skip(2).Append(after).ToList());
            }
        }
        finally
        {
            await RunAsync("umount", [mount], CancellationToken.None);
        }
    }

    private static void AssertIntact(EvidenceVault vault, List<EvidenceRecord> expected)
    {
        Assert.That(vault.List().Select(r => r.Id), Is.EqualTo(expected.Select(r => r.Id)));
        foreach (var record in expected)
        {
            var blob = new MemoryStream();
            vault.CopySealedTo(record.Id, blob);
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(blob.ToArray())), Is.EqualTo(record.SealedSha256));
        }
    }

    private static async Task<(bool Ok, string Output)> RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode == 0, (await stderr).Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, e.Message);
        }
    }
}
