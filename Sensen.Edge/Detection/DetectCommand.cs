using System.CommandLine;
using Sensen.Edge.Hosting;

namespace Sensen.Edge.Detection;

/// <summary>The `detect` verb. Placeholder until its stage lands.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var command = new Command("detect", "Run a model on a picture and report the boxes.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge detect: not available in this build yet");
            return ExitCodes.Software;
        });
        return command;
    }
}
