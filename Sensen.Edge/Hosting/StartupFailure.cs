using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Hosting;

/// <summary>Maps the classified exceptions a stage throws while starting to the process exit code.</summary>
internal static class StartupFailure
{
    /// <summary>The exit code for a known start-up failure, or null for an unexpected one (which propagates).</summary>
    public static int? ExitCodeOf(Exception e) => e switch
    {
        VaultException v => v.ExitCode,
        CredentialException => ExitCodes.Config,

        // Models are part of the installation: restarting will not mend a missing or altered one.
        ModelException => ExitCodes.Config,
        _ => null,
    };
}
