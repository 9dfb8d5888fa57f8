using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Vault;

/// <summary>Opens the configured vault for a verb: never creates one, and turns every failure into a message and an exit code.</summary>
internal static class VaultCli
{
    public static int Run(string verb, string configPath, TextWriter stderr, Func<EvidenceVault, int> action)
    {
        var loaded = ConfigLoader.Load(configPath);
        if (!loaded.IsValid)
        {
            return CheckConfigCommand.Report(loaded, stderr);
        }

        try
        {
            using var settings = VaultSettings.Load(loaded.Config!.Options, loaded.Config.Directory, createIfMissing: false);
            using var vault = EvidenceVault.Open(settings, TimeProvider.System, NullLogger.Instance);
            return action(vault);
        }
        catch (VaultException e)
        {
            stderr.WriteLine($"sensen-edge {verb}: {e.Message}");
            return e.ExitCode;
        }
    }
}
