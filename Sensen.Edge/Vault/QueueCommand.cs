using System.CommandLine;
using Sensen.Edge.Hosting;

namespace Sensen.Edge.Vault;

/// <summary>The `queue` verb. Placeholder until its stage lands.</summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var command = new Command("queue", "Inspect and manage the evidence queue (metadata only).");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge queue: not available in this build yet");
            return ExitCodes.Software;
        });
        return command;
    }
}
