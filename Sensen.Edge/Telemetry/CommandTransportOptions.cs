using System.CommandLine;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Telemetry;

/// <summary>The broker options of send and of queue hold/release's remote path.</summary>
internal sealed class CommandTransportOptions
{
    private readonly Option<string?> _broker;
    private readonly Option<string?> _ca = new("--ca") { Description = "The city CA (PEM); default: uplink.ca_file of --config." };
    private readonly Option<string?> _cert = new("--cert") { Description = "The operator's client certificate (PEM) for the broker." };
    private readonly Option<string?> _clientKey = new("--client-key") { Description = "The private key of --cert (PEM file)." };
    private readonly Option<int> _timeout = new("--timeout") { Description = "Seconds to wait for the unit's result.", DefaultValueFactory = _ => 30 };

    public CommandTransportOptions(Command command, bool brokerRequired)
    {
        _broker = new Option<string?>("--broker") { Description = "mqtts://host:port of the city broker" + (brokerRequired ? "." : "; default: uplink.broker of --config."), Required = brokerRequired };
        command.Options.Add(_broker);
        command.Options.Add(_ca);
        command.Options.Add(_cert);
        command.Options.Add(_clientKey);
        command.Options.Add(_timeout);
    }

    public CommandTransport Read(ParseResult r, LoadedConfig? config) => new(
        r.GetValue(_broker) ?? config?.Options.Uplink.Broker ?? "",
        r.GetValue(_ca) ?? (config?.Options.Uplink.CaFile is { } ca ? Path.GetFullPath(ca, config.Directory) : ""),
        r.GetValue(_cert) ?? "",
        r.GetValue(_clientKey) ?? "",
        TimeSpan.FromSeconds(Math.Clamp(r.GetValue(_timeout), 1, 3600)));
}
