using Sensen.Edge.Configuration;

namespace Sensen.Edge.Vault;

/// <summary>Checks of <c>vault:</c>: credential names, independent key layers, no inline keys.</summary>
internal static class VaultOptionsValidator
{
    public static void Validate(ValidationContext context, VaultOptions vault)
    {
        context.CheckCredentialName("vault.device_key_credential", vault.DeviceKeyCredential);
        context.CheckCredentialName("vault.database_key_credential", vault.DatabaseKeyCredential);
        context.CheckCredentialName("vault.storage_key_credential", vault.StorageKeyCredential);
        context.CheckNotSecretValue("vault.city_public_key", vault.CityPublicKey);

        // The layers must be independent: one leaked file must not open two of them.
        if (vault.StorageKeyCredential == vault.DatabaseKeyCredential || vault.StorageKeyCredential == vault.DeviceKeyCredential)
        {
            context.Error("vault.storage_key_credential", $"'{vault.StorageKeyCredential}' is also used for another vault key; the database, storage and device keys need three different credentials");
        }
        else if (vault.DatabaseKeyCredential == vault.DeviceKeyCredential)
        {
            context.Error("vault.database_key_credential", $"'{vault.DatabaseKeyCredential}' is also the device key credential; the database, storage and device keys need three different credentials");
        }

        if (Path.GetFullPath(vault.Path, "/state") == Path.GetFullPath(vault.AuditLog, "/state"))
        {
            context.Error("vault.audit_log", "the audit log cannot be the vault database file");
        }
    }
}
