using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sensen.Edge.Cli;

namespace Sensen.Edge.Vault;

/// <summary>
/// <c>sensen-edge queue list|show|hold|release|purge-expired</c>: the evidence queue's metadata, never its
/// content. The verbs open the vault file themselves, so they work while the daemon is stopped; under a
/// running daemon they say so (exit 75) instead of touching a file the daemon holds. <c>hold</c> and
/// <c>release</c> given <c>--operator-key</c> send a signed remote command to the running unit through the broker
/// instead (docs/TELEMETRY.md), which applies it to the vault it holds.
/// </summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var command = new Command("queue", "Inspect and manage the evidence queue (metadata only).");
        var json = new Option<bool>("--json") { Description = "One JSON array instead of a table." };
        var list = new Command("list", "List queued evidence: id, state, age, size, legal hold.") { ConfigOption(), json };
        list.SetAction(r => VaultCli.Run("queue list", Config(r), Console.Error, v => List(v, r.GetValue(json), Console.Out)));

        var id = new Argument<string>("ID") { Description = "The evidence id." };
        var show = new Command("show", "Show one item's record and manifest metadata.") { ConfigOption(), id };
        show.SetAction(r => VaultCli.Run("queue show", Config(r), Console.Error, v => Show(v, r.GetValue(id)!, Console.Out)));

        var reason = new Option<string>("--reason") { Description = "Why (kept encrypted in the vault; the audit log gets its hash).", Required = true };
        var holdId = new Argument<string>("ID") { Description = "The evidence id." };
        var hold = new Command("hold", "Put an item on legal hold: it survives retention and eviction.") { ConfigOption(), holdId, reason };
        var holdRemote = new Telemetry.RemoteQueueOptions(hold);
        hold.SetAction((r, ct) => holdRemote.IsRemote(r)
            ? holdRemote.SendAsync(r, Config(r), Telemetry.CommandFormat.LegalHold, r.GetValue(holdId)!, r.GetValue(reason), Console.Out, Console.Error, ct)
            : Task.FromResult(VaultCli.Run("queue hold", Config(r), Console.Error, v => Print(v.Hold(r.GetValue(holdId)!, r.GetValue(reason)!), Console.Out))));

        var releaseId = new Argument<string>("ID") { Description = "The evidence id." };
        var release = new Command("release", "Lift a legal hold.") { ConfigOption(), releaseId };
        var releaseRemote = new Telemetry.RemoteQueueOptions(release);
        release.SetAction((r, ct) => releaseRemote.IsRemote(r)
            ? releaseRemote.SendAsync(r, Config(r), Telemetry.CommandFormat.Release, r.GetValue(releaseId)!, null, Console.Out, Console.Error, ct)
            : Task.FromResult(VaultCli.Run("queue release", Config(r), Console.Error, v => Print(v.Release(r.GetValue(releaseId)!), Console.Out))));

        var purge = new Command("purge-expired", "Delete every item past retention that is not on legal hold.") { ConfigOption() };
        purge.SetAction(r => VaultCli.Run("queue purge-expired", Config(r), Console.Error, v =>
        {
            Console.Out.WriteLine($"{v.PurgeExpired()} expired item(s) deleted");
            return ExitCodes.Ok;
        }));

        var exportId = new Argument<string>("ID") { Description = "The evidence id." };
        var exportOut = new Option<string>("--out") { Description = "The package file to write (must not exist).", Required = true };
        var export = new Command("export", "Write an item's sealed package (signed manifest and ciphertext only) to one file, for collection by hand.") { ConfigOption(), exportId, exportOut };
        export.SetAction(r => VaultCli.Run("queue export", Config(r), Console.Error, v => Export(v, r.GetValue(exportId)!, r.GetValue(exportOut)!, Console.Out, Console.Error)));

        var salvage = new Command("salvage", "Quarantine the vault file (with its epoch keys) and keep every item that still verifies in a fresh one.") { ConfigOption() };
        salvage.SetAction(r => Salvage(Config(r), Console.Out, Console.Error));

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(hold);
        command.Subcommands.Add(release);
        command.Subcommands.Add(purge);
        command.Subcommands.Add(salvage);
        command.Subcommands.Add(export);
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sensen-edge queue: choose list, show, hold, release, purge-expired, salvage or export (see --help)");
            return ExitCodes.Usage;
        });
        return command;
    }

    /// <summary>Runs on a vault that may not open at all, so it does not go through <see cref="VaultCli.Run"/>'s open.</summary>
    internal static int Salvage(string configPath, TextWriter stdout, TextWriter stderr)
    {
        var loaded = Configuration.ConfigLoader.Load(configPath);
        if (!loaded.IsValid)
        {
            return Configuration.CheckConfigCommand.Report(loaded, stderr);
        }

        try
        {
            using var settings = VaultSettings.Load(loaded.Config!.Options, loaded.Config.Directory, createIfMissing: false);
            var report = EvidenceVault.Salvage(settings, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            stdout.WriteLine($"{report.Kept.Count} item(s) kept, {report.Lost.Count} lost; the original is in {report.Quarantine}");
            foreach (var id in report.Lost)
            {
                stdout.WriteLine($"lost: {id}");
            }

            return report.Lost.Count == 0 ? ExitCodes.Ok : ExitCodes.DataError;
        }
        catch (VaultException e)
        {
            stderr.WriteLine($"sensen-edge queue salvage: {e.Message}");
            return e.ExitCode;
        }
    }

    internal static int List(EvidenceVault vault, bool json, TextWriter stdout)
    {
        var records = vault.List();
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(records.Select(ToJson), CanonicalJson.Options));
            return ExitCodes.Ok;
        }

        stdout.WriteLine($"{"ID",-36}  {"STATE",-12}  {"CREATED (UTC)",-19}  {"EXPIRES (UTC)",-19}  {"BYTES",10}  HOLD");
        foreach (var r in records)
        {
            stdout.WriteLine($"{r.Id,-36}  {EvidenceTransitions.Name(r.State),-12}  {Time(r.CreatedAt),-19}  {Time(r.ExpiresAt),-19}  {r.SealedBytes,10}  {(r.LegalHold ? "yes" : "")}");
        }

        stdout.WriteLine($"{records.Count} item(s), {records.Sum(r => r.SealedBytes)} sealed byte(s)");
        return ExitCodes.Ok;
    }

    internal static int Show(EvidenceVault vault, string id, TextWriter stdout)
    {
        var record = vault.Find(id) ?? throw new VaultException(VaultErrorKind.NotFound, $"no evidence {id} in the vault");
        var (json, signature) = vault.ReadManifest(id);
        var manifest = CanonicalJson.Deserialize<EvidenceManifest>(json);
        var lines = new List<(string, string)>
        {
            ("id", record.Id),
            ("state", EvidenceTransitions.Name(record.State)),
            ("created", Time(record.CreatedAt)),
            ("updated", Time(record.UpdatedAt)),
            ("expires", Time(record.ExpiresAt)),
            ("legal hold", record.LegalHold ? "yes: " + vault.HoldReason(id) : "no"),
            ("camera", manifest.CameraId),
            ("rule", $"{manifest.RuleId} ({manifest.RuleType})"),
            ("event", $"{manifest.EventStart} .. {manifest.EventEnd}"),
            ("clip", $"{manifest.ClipStart} .. {manifest.ClipEnd}, {manifest.Clip.PlaintextBytes} bytes {manifest.ContentType}"),
            ("clock", $"{(manifest.ClockSync.Synchronized ? "synchronised" : "NOT synchronised")} ({manifest.ClockSync.Source})"),
            ("clip sha256", manifest.Clip.PlaintextSha256),
            ("sealed sha256", record.SealedSha256),
            ("sealed", $"{record.SealedBytes} bytes in {record.ChunkCount} chunk(s), storage epoch {record.Epoch}"),
            ("config sha256", manifest.ConfigSha256),
            ("device key", manifest.DeviceKeyId),
            ("city key", manifest.Envelope.RecipientKeyId),
            ("signature", $"{signature.Length} bytes ECDSA P-256/SHA-256"),
            ("events", manifest.Events.Count == 0 ? "none listed" : string.Join("; ", manifest.Events.Select(e => $"{e.RuleId} ({e.RuleType}) track {e.TrackId} {e.Class}"))),
            ("plate", manifest.Plate is { } plate ? $"read, confidence {plate.ConfidencePermille}/1000 on frame {plate.FrameSequence} (the text is not shown on the unit)" : "not read"),
            ("anonymised", $"{manifest.Anonymisation.Method}: {manifest.Anonymisation.FacesObscured} face and {manifest.Anonymisation.PlatesObscured} plate regions obscured, {manifest.Anonymisation.FramesMaskedWhole} of {manifest.Anonymisation.Frames} frames masked whole"),
            ("video", $"{manifest.Video.Encoder} {manifest.Video.Width}x{manifest.Video.Height}, {manifest.Video.Frames} frames"),
            ("software", manifest.SoftwareVersion),
        };
        lines.AddRange(manifest.ModelSha256.Select(m => ($"model {m.Key}", m.Value)));
        foreach (var (key, value) in lines)
        {
            stdout.WriteLine($"{key + ":",-15} {value}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The sealed package as one file (<see cref="EvidencePackageFile"/>): the signed manifest and the sealed blob, nothing
    /// the device could read back. The item stays in the vault: only the city's signed ack deletes it.
    /// </summary>
    internal static int Export(EvidenceVault vault, string id, string output, TextWriter stdout, TextWriter stderr)
    {
        var record = vault.Find(id) ?? throw new VaultException(VaultErrorKind.NotFound, $"no evidence {id} in the vault");
        var (json, signature) = vault.ReadManifest(id);
        FileStream file;
        try
        {
            file = new FileStream(output, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (IOException e)
        {
            stderr.WriteLine($"sensen-edge queue export: cannot create {output}: {e.Message} (an existing file is never overwritten)");
            return ExitCodes.CannotCreate;
        }

        try
        {
            using (file)
            {
                EvidencePackageFile.WriteHeader(file, json, signature, record.SealedBytes);
                vault.CopySealedTo(id, file);
                file.Flush(flushToDisk: true);
            }
        }
        catch
        {
            File.Delete(output);
            throw;
        }

        stdout.WriteLine($"{id}: {EvidencePackageFile.Describe(json.Length, record.SealedBytes)} written to {output} (sealed sha256 {record.SealedSha256}); it stays queued until the city acknowledges it");
        return ExitCodes.Ok;
    }

    private static int Print(EvidenceRecord record, TextWriter stdout)
    {
        stdout.WriteLine($"{record.Id}: {EvidenceTransitions.Name(record.State)}, legal hold {(record.LegalHold ? "on" : "off")}");
        return ExitCodes.Ok;
    }

    private static object ToJson(EvidenceRecord r) => new
    {
        r.Id,
        State = EvidenceTransitions.Name(r.State),
        CreatedAt = SealingFormat.Timestamp(r.CreatedAt),
        UpdatedAt = SealingFormat.Timestamp(r.UpdatedAt),
        ExpiresAt = SealingFormat.Timestamp(r.ExpiresAt),
        r.SealedBytes,
        r.SealedSha256,
        r.ChunkCount,
        r.Epoch,
        r.LegalHold,
    };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Option<string> ConfigOption() => new("--config", "-c")
    {
        Description = "The YAML configuration file.",
        DefaultValueFactory = _ => CliDefaults.ConfigPath,
    };

    private static string Config(ParseResult result) => result.GetValue<string>("--config")!;
}
