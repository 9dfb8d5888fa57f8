using Sensen.Edge.Tests.Vault;

namespace Sensen.Edge.Tests;

/// <summary>
/// Entry point of the test assembly when run as a program (<c>dotnet Sensen.Edge.Tests.dll TOOL …</c>): tools the
/// tests start as child processes but that must never be part of the shipped daemon. NUnit's test host does not
/// call it.
/// </summary>
internal static class TestToolProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == VaultTorture.Verb)
        {
            return await VaultTorture.RunAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync($"Sensen.Edge.Tests: the only tool is '{VaultTorture.Verb}'; tests are run with dotnet test");
        return 64;
    }
}
