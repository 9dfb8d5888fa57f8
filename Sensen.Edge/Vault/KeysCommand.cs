using System.CommandLine;
using Sensen.Edge.Hosting;

namespace Sensen.Edge.Vault;

/// <summary>The `keys` verb. Placeholder until its stage lands.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Create device and city key material.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge keys: not available in this build yet");
            return ExitCodes.Software;
        });
        return command;
    }
}
