using System.Security.Cryptography;
using Sensen.Edge.Configuration;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

[TestFixture]
internal sealed class VaultConfigTests
{
    [Test]
    public void Load_StorageKeySameAsDatabaseKey_ErrorNamesKeyAndLine()
    {
        using var env = new VaultTestEnvironment();
        var path = env.WriteConfig();
        File.WriteAllText(path, File.ReadAllText(path).Replace("storage_key_credential: vault-storage-key", "storage_key_credential: vault-db-key", StringComparison.Ordinal));

        var result = ConfigLoader.Load(path);

        var error = result.Errors.Single();
        Assert.That(error.ToString(), Does.Match(@":\d+:\d+ vault\.storage_key_credential: 'vault-db-key' is also used for another vault key; the database, storage and device keys need three different credentials$"));
    }

    [Test]
    public void Load_AuditLogIsTheDatabase_Error()
    {
        using var env = new VaultTestEnvironment();
        var path = env.WriteConfig();
        File.WriteAllText(path, File.ReadAllText(path).Replace("audit_log: audit.log", "audit_log: vault.db", StringComparison.Ordinal));

        var result = ConfigLoader.Load(path);

        Assert.That(result.Errors.Single().ToString(), Does.EndWith("vault.audit_log: the audit log cannot be the vault database file"));
    }

    [Test]
    public void Load_AckKeyIsTheSealingKeyFile_PositionedError()
    {
        using var env = new VaultTestEnvironment();
        var path = env.WriteConfig();
        File.WriteAllText(path, File.ReadAllText(path).Replace("city_ack_public_key: " + env.CityAckPublicKeyPath, "city_ack_public_key: " + env.CityPublicKeyPath, StringComparison.Ordinal));

        var error = ConfigLoader.Load(path).Errors.Single();

        Assert.That(error.ToString(), Does.Match(@":\d+:\d+ vault\.city_ack_public_key: this is the city_public_key file; acks are signed with a separate key \(city-ack-public\.pem from sensen-edge keys city\)$"));
        Assert.That(error.Line, Is.GreaterThan(0));
    }

    [Test]
    public void Load_AckKeyWrittenInline_PositionedError()
    {
        using var env = new VaultTestEnvironment();
        var path = env.WriteConfig();
        File.WriteAllText(path, File.ReadAllText(path).Replace("city_ack_public_key: " + env.CityAckPublicKeyPath, "city_ack_public_key: '-----BEGIN EC PRIVATE KEY-----'", StringComparison.Ordinal));

        var error = ConfigLoader.Load(path).Errors.Single();

        Assert.That(error.ToString(), Does.Match(@":\d+:\d+ vault\.city_ack_public_key: a private key is written inline; keys belong in a credential file$"));
    }

    [Test]
    public void Load_OldUplinkAckKey_IsAnUnknownKey()
    {
        using var env = new VaultTestEnvironment();
        var path = env.WriteConfig();
        File.WriteAllText(path, File.ReadAllText(path).Replace("  allow_insecure: false", "  allow_insecure: false\n  ack_public_key: /etc/sensen-edge/city-public.pem", StringComparison.Ordinal));

        var error = ConfigLoader.Load(path).Errors.Single();

        Assert.That(error.Path, Is.EqualTo("uplink.ack_public_key"), error.ToString());
    }

    [Test]
    public void Load_ExampleConfigWithKeysFromKeysCity_AckVerifierVerifiesTheCitysSignature()
    {
        using var env = new VaultTestEnvironment();
        var path = env.WriteConfig();
        var keys = Path.Combine(env.Root, "city-keys");
        Assert.That(KeysCommand.City(keys, new StringWriter(), new StringWriter()), Is.EqualTo(0));
        File.WriteAllText(path, File.ReadAllText(path)
            .Replace("city_ack_public_key: " + env.CityAckPublicKeyPath, "city_ack_public_key: " + Path.Combine(keys, KeysCommand.CityAckPublicFile), StringComparison.Ordinal)
            .Replace("city_public_key: " + env.CityPublicKeyPath, "city_public_key: " + Path.Combine(keys, KeysCommand.CityPublicFile), StringComparison.Ordinal));
        var loaded = ConfigLoader.Load(path);
        Assert.That(loaded.Errors, Is.Empty);

        using var settings = VaultSettings.Load(loaded.Config!.Options, loaded.Config.Directory, createIfMissing: true);
        using var verifier = settings.CreateAckVerifier(env.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var cityAck = ECDsa.Create();
        cityAck.ImportFromPem(File.ReadAllText(Path.Combine(keys, KeysCommand.CityAckPrivateFile)));
        var message = new AckSigner(cityAck).Received(loaded.Config.Options.Device.Id, "019ad2c4-8f00-7000-8000-00000000abcd", new string('5', 64), env.Time.GetUtcNow());

        Assert.That(verifier.Verify(message).IsVerified, Is.True);
        Assert.That(settings.AckMaxAge, Is.EqualTo(TimeSpan.FromDays(7)), "vault.ack_max_age_days");
    }

    private static readonly object[] BadAckKeyFiles =
    [
        new object[] { "missing", "", "vault.city_ack_public_key: cannot read PATH: Could not find file 'PATH'. (make the city's keys with: sensen-edge keys city --out DIR)" },
        new object[] { "private", "private", "vault.city_ack_public_key: PATH holds a private key; the device must only have the city's public ack key" },
        new object[] { "sealing", "sealing", "vault.city_ack_public_key: PATH is the city's sealing key; acks are signed with a separate key (city-ack-public.pem from sensen-edge keys city)" },
        new object[] { "p384", "p384", "vault.city_ack_public_key: PATH is not a P-256 key" },
        new object[] { "garbage", "garbage", "vault.city_ack_public_key: PATH is not an EC public key in PEM" },
    ];

    [TestCaseSource(nameof(BadAckKeyFiles))]
    public void LoadCityAckPublicKey_BadFile_ExactMessage(string what, string content, string expected)
    {
        using var env = new VaultTestEnvironment();
        var path = Path.Combine(env.Root, "ack-" + what + ".pem");
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        switch (content)
        {
            case "private": File.WriteAllText(path, other.ExportPkcs8PrivateKeyPem()); break;
            case "sealing": File.WriteAllText(path, env.CityKey.ExportSubjectPublicKeyInfoPem()); break;
            case "p384": File.WriteAllText(path, p384.ExportSubjectPublicKeyInfoPem()); break;
            case "garbage": File.WriteAllText(path, "not a key"); break;
        }

        using var city = VaultSettings.LoadCityPublicKey(env.CityPublicKeyPath);
        var ex = Assert.Throws<VaultException>(() => VaultSettings.LoadCityAckPublicKey(path, city).Dispose());

        Assert.That(ex!.Message, Is.EqualTo(expected.Replace("PATH", path, StringComparison.Ordinal)));
        Assert.That(ex.Kind, Is.EqualTo(VaultErrorKind.Credential));
    }

    [Test]
    public void VaultSettingsLoad_CredentialReadableByOthers_RefusedWithItsMode()
    {
        using var env = new VaultTestEnvironment();
        var loaded = ConfigLoader.Load(env.WriteConfig());
        File.SetUnixFileMode(Path.Combine(env.CredentialsDirectory, "vault-storage-key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var ex = Assert.Throws<VaultException>(() => VaultSettings.Load(loaded.Config!.Options, loaded.Config.Directory, createIfMissing: true).Dispose());

        Assert.That(ex!.Message, Is.EqualTo("vault storage key: credential 'vault-storage-key' is readable by group or others (mode 0644); make it readable by its owner only (chmod 0600)"));
        Assert.That(ex.Kind, Is.EqualTo(VaultErrorKind.Credential));
    }

    [Test]
    public void Load_ExampleVaultSection_Valid()
    {
        using var env = new VaultTestEnvironment();

        var result = ConfigLoader.Load(env.WriteConfig());

        Assert.That(result.Errors, Is.Empty);
    }
}
