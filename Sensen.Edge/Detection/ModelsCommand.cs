using System.CommandLine;
using Sensen.Edge.Hosting;

namespace Sensen.Edge.Detection;

/// <summary>The `models` verb. Placeholder until its stage lands.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Import, convert and verify detector models.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge models: not available in this build yet");
            return ExitCodes.Software;
        });
        return command;
    }
}
