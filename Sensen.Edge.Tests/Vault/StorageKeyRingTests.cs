using System.Security.Cryptography;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

[TestFixture]
internal sealed class StorageKeyRingTests
{
    private static readonly byte[] Aad = "aad"u8.ToArray();

    [Test]
    public void Unprotect_AfterEpochDestroyed_FailsEvenWithTheRootCredential()
    {
        using var env = new VaultTestEnvironment();
        var root = RandomNumberGenerator.GetBytes(32);
        var epoch = 2930L;
        byte[] remnant;
        using (var ring = new StorageKeyRing(env.KeysDirectory, root, 7))
        {
            remnant = ring.Protect(epoch, Aad, "manifest bytes"u8);
            Assert.That(ring.Unprotect(epoch, Aad, remnant), Is.EqualTo("manifest bytes"u8.ToArray()));
            ring.Destroy(epoch);
            Assert.Throws<CryptographicException>(() => ring.Unprotect(epoch, Aad, remnant));
        }

        // Someone with the credential later: the epoch secret is gone, and a new epoch secret is a different key.
        using var later = new StorageKeyRing(env.KeysDirectory, root, 7);
        Assert.That(later.Epochs(), Is.Empty);
        later.Ensure(epoch);
        Assert.Throws<AuthenticationTagMismatchException>(() => later.Unprotect(epoch, Aad, remnant));
    }

    [Test]
    public void Unprotect_OtherAad_Fails()
    {
        using var env = new VaultTestEnvironment();
        using var ring = new StorageKeyRing(env.KeysDirectory, RandomNumberGenerator.GetBytes(32), 7);
        var stored = ring.Protect(1, Aad, "x"u8);

        Assert.Throws<AuthenticationTagMismatchException>(() => ring.Unprotect(1, "other"u8, stored));
    }

    [Test]
    public void Constructor_ShortRoot_CredentialError()
    {
        using var env = new VaultTestEnvironment();

        var ex = Assert.Throws<VaultException>(() => new StorageKeyRing(env.KeysDirectory, new byte[8], 7).Dispose());

        Assert.That(ex!.Message, Is.EqualTo("the storage-key credential is shorter than 16 bytes; use 32 random bytes"));
    }

    [TestCase("2026-11-28T00:00:00Z", 2969)]
    [TestCase("1970-01-07T23:59:59Z", 0)]
    [TestCase("1970-01-08T00:00:00Z", 1)]
    public void EpochOf_Time_SevenDayEpochsFromUnixEpoch(string time, long epoch)
    {
        using var env = new VaultTestEnvironment();
        using var ring = new StorageKeyRing(env.KeysDirectory, new byte[32], 7);

        Assert.That(ring.EpochOf(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(epoch));
    }
}
