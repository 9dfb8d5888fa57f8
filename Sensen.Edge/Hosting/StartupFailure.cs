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

    /// <summary>
    /// The one line <c>run</c> prints: the classified failure's own message, or for an unexpected one (a bug) its
    /// type and first message line, so that a report has something to search for without a stack in the journal.
    /// </summary>
    public static string Describe(Exception e) => ExitCodeOf(e) is null
        ? $"sensen-edge: cannot start: unexpected {e.GetType().Name}: {FirstLine(e.Message)}"
        : $"sensen-edge: cannot start: {FirstLine(e.Message)}";

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
