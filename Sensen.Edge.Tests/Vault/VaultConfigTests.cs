using Sensen.Edge.Configuration;

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
    public void Load_ExampleVaultSection_Valid()
    {
        using var env = new VaultTestEnvironment();

        var result = ConfigLoader.Load(env.WriteConfig());

        Assert.That(result.Errors, Is.Empty);
    }
}
