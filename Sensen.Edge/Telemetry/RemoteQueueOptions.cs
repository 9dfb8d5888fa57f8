using System.CommandLine;
using Sensen.Edge.Cli;
using Sensen.Edge.Configuration;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// The remote path of <c>queue hold|release</c>: with <c>--operator-key</c> the verb signs the command and sends it
/// through the broker to the running unit named by <c>--config</c> (device id, topic prefix, broker and CA from the
/// file unless given), since the daemon holds the vault's lock.
/// </summary>
internal sealed class RemoteQueueOptions
{
    private readonly Option<string?> _key = new("--operator-key") { Description = "Send as a signed remote command to the running unit, with this operator private key (PEM)." };
    private readonly Option<string?> _operator = new("--operator") { Description = "The operator id of --operator-key." };
    private readonly CommandTransportOptions _transport;

    public RemoteQueueOptions(Command command)
    {
        command.Options.Add(_key);
        command.Options.Add(_operator);
        _transport = new CommandTransportOptions(command, brokerRequired: false);
    }

    public bool IsRemote(ParseResult r) => r.GetValue(_key) is not null;

    public async Task<int> SendAsync(ParseResult r, string configPath, string command, string evidenceId, string? reason, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (r.GetValue(_operator) is not { } operatorId)
        {
            stderr.WriteLine("sensen-edge queue: --operator-key needs --operator (the key's operator id)");
            return ExitCodes.Usage;
        }

        var loaded = ConfigLoader.Load(configPath);
        if (!loaded.IsValid)
        {
            return CheckConfigCommand.Report(loaded, stderr);
        }

        var options = loaded.Config!.Options;
        return await CommandCli.SendAsync(
            new CommandSignRequest(r.GetValue(_key)!, operatorId, options.Device.Id, command, evidenceId, reason, null),
            _transport.Read(r, loaded.Config),
            options.Uplink.TopicPrefix,
            stdout,
            stderr,
            cancellationToken).ConfigureAwait(false);
    }
}
