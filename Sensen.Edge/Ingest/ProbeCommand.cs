using System.CommandLine;
using Sensen.Edge.Hosting;

namespace Sensen.Edge.Ingest;

/// <summary>The `probe` verb. Placeholder until its stage lands.</summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var command = new Command("probe", "Connect to a camera and report its stream (installer's tool).");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge probe: not available in this build yet");
            return ExitCodes.Software;
        });
        return command;
    }
}
