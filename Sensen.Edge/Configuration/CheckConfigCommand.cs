using System.CommandLine;
using Sensen.Edge.Cli;

namespace Sensen.Edge.Configuration;

/// <summary><c>sensen-edge check-config FILE</c>: every problem, one per line; exit 78 when there are any.</summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The YAML configuration file." };
        var command = new Command("check-config", "Validate a configuration file and list every problem in it.") { file };
        command.SetAction(result => Execute(result.GetValue(file)!, Console.Out, Console.Error));
        return command;
    }

    internal static int Execute(string path, TextWriter stdout, TextWriter stderr)
    {
        var result = ConfigLoader.Load(path);
        if (result.IsValid)
        {
            var options = result.Config!.Options;
            stdout.WriteLine($"{path}: valid ({options.Cameras.Count} camera(s), {options.Cameras.Sum(c => c.Rules.Rules.Count)} rule(s), {options.Detectors.Count} detector(s))");
            return ExitCodes.Ok;
        }

        return Report(result, stderr);
    }

    /// <summary>Prints the errors of an invalid load and returns the exit code it deserves.</summary>
    internal static int Report(ConfigLoadResult result, TextWriter stderr)
    {
        foreach (var error in result.Errors)
        {
            stderr.WriteLine(error.ToString());
        }

        if (result.FileMissing)
        {
            return ExitCodes.NoInput;
        }

        stderr.WriteLine($"{result.Errors.Count} error(s)");
        return ExitCodes.Config;
    }
}
