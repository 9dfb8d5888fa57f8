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

        if (args.Length > 0 && args[0] == "vault-power-soak")
        {
            // The long power-cut soak (not in CI): dotnet Sensen.Edge.Tests.dll vault-power-soak [cuts, default 5000] [seed].
            var cuts = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000;
            var seed = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var checkedCuts = await VaultPowerLossTests.RunAsync(cuts, seed, CancellationToken.None);
                await Console.Out.WriteLineAsync($"vault-power-soak: {checkedCuts} cut points, seed {seed}, all passed in {watch.Elapsed.TotalSeconds:F0} s");
                return 0;
            }
            catch (NUnit.Framework.AssertionException e)
            {
                await Console.Error.WriteLineAsync($"vault-power-soak: seed {seed}: {e.Message}");
                return 1;
            }
        }

        await Console.Error.WriteLineAsync($"Sensen.Edge.Tests: the tools are '{VaultTorture.Verb}' and 'vault-power-soak'; tests are run with dotnet test");
        return 64;
    }
}
