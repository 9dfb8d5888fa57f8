using System.CommandLine;
using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Hosting;
using Sensen.Edge.Ingest;
using Sensen.Edge.Rules;
using Sensen.Edge.Vault;

var root = new RootCommand("Sensen.Edge: roadside camera daemon that keeps only sealed, anonymised violation evidence.")
{
    RunCommand.Create(),
    CheckConfigCommand.Create(),
    ProbeCommand.Create(),
    DetectCommand.Create(),
    ModelsCommand.Create(),
    QueueCommand.Create(),
    Sensen.Edge.Telemetry.CommandCli.Create(),
    KeysCommand.Create(),
    Sensen.Edge.Receiver.ReceiverCommand.Create(),
    Sensen.Edge.Receiver.EvidenceCommand.Create(),
    PreviewCommand.Create(),
    Sensen.Edge.Cli.BenchCommand.Create(),
    DemoCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
