using System.CommandLine;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Telemetry;

/// <summary>The options of sign and send.</summary>
internal sealed class CommandArgumentOptions
{
    private readonly Option<string> _key = new("--operator-key") { Description = "The operator's private key (PEM, from command keygen).", Required = true };
    private readonly Option<string> _operator = new("--operator") { Description = "The operator id (the key's telemetry.operators[].id).", Required = true };
    private readonly Option<string> _device = new("--device") { Description = "The unit's device.id.", Required = true };
    private readonly Option<string> _command = new("--command") { Description = "legal_hold, release, resend, reload_configuration or set_log_level.", Required = true };
    private readonly Option<string?> _evidence = new("--evidence-id") { Description = "legal_hold, release, resend: the item." };
    private readonly Option<string?> _reason = new("--reason") { Description = "legal_hold: why (stored encrypted on the unit)." };
    private readonly Option<string?> _level = new("--level") { Description = "set_log_level: trace, debug, information, warning or error." };

    public CommandArgumentOptions(Command command)
    {
        command.Options.Add(_key);
        command.Options.Add(_operator);
        command.Options.Add(_device);
        command.Options.Add(_command);
        command.Options.Add(_evidence);
        command.Options.Add(_reason);
        command.Options.Add(_level);
    }

    public CommandSignRequest Read(ParseResult r) =>
        new(r.GetValue(_key)!, r.GetValue(_operator)!, r.GetValue(_device)!, r.GetValue(_command)!, r.GetValue(_evidence), r.GetValue(_reason), r.GetValue(_level));
}

