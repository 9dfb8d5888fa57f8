using System.CommandLine;
using Sensen.Edge.Cli;

namespace Sensen.Edge.Configuration;

/// <summary>
/// <c>sensen-edge check-config [--config FILE | FILE] [--credentials-directory DIR]</c>: every problem, one
/// per line, exit 78 when there are any. Beyond the file itself it checks that every credential the file
/// names is present, readable and owner-only, so that a file it calls valid really starts.
/// </summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("FILE") { Description = "The YAML configuration file (the same as --config).", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string?>("--config", "-c") { Description = $"The YAML configuration file (default: {CliDefaults.ConfigPath})." };
        var directory = new Option<string?>("--credentials-directory")
        {
            Description = "Where the credential files are (default, as for run: $CREDENTIALS_DIRECTORY, then device.credentials_directory, then /etc/sensen-edge/credentials).",
        };
        var command = new Command("check-config", "Validate a configuration file and the credentials it names, and list every problem.") { file, config, directory };
        command.Validators.Add(result =>
        {
            if (result.GetValue(file) is not null && result.GetValue(config) is not null)
            {
                result.AddError("give the configuration file once: either FILE or --config FILE");
            }
        });
        command.SetAction(result => Execute(
            result.GetValue(config) ?? result.GetValue(file) ?? CliDefaults.ConfigPath, result.GetValue(directory), Console.Out, Console.Error));
        return command;
    }

    /// <param name="credentialsDirectory">The --credentials-directory value; null resolves it as run does.</param>
    internal static int Execute(string path, string? credentialsDirectory, TextWriter stdout, TextWriter stderr)
    {
        var result = ConfigLoader.Load(path, device => credentialsDirectory is { } dir ? new CredentialStore(dir) : CredentialStore.FromOptions(device));
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
