using Microsoft.Extensions.Logging;
using MQTTnet;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Remote commands on <c>PREFIX/DEVICE/commands</c>: verified (<see cref="CommandVerifier"/>), checked against the
/// operator's role (<see cref="CommandFormat.RequiredRole"/>), run, written to the vault's audit log with their
/// outcome, and answered on <c>PREFIX/DEVICE/commands/result</c>. Nothing unverified changes anything.
/// </summary>
internal sealed partial class CommandHandler : IDeviceMqttParticipant
{
    public const string Accepted = "accepted";
    public const string RefusedOutcome = "refused";
    public const string NotAvailable = "not available in this build";

    private readonly CommandVerifier _verifier;
    private readonly EvidenceVault _vault;
    private readonly string _deviceId;
    private readonly IRuntimeControl? _runtime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _accepted;
    private long _refused;

    /// <param name="topicPrefix">uplink.topic_prefix: commands arrive on PREFIX/DEVICE/commands.</param>
    /// <param name="runtime">The host's reload and log level; null: those commands answer "not available in this build".</param>
    public CommandHandler(CommandVerifier verifier, EvidenceVault vault, string topicPrefix, string deviceId, IRuntimeControl? runtime, TimeProvider time, ILogger logger)
    {
        _verifier = verifier;
        _vault = vault;
        _deviceId = deviceId;
        Topic = UplinkProtocol.DeviceTopic(topicPrefix, deviceId, DeviceMqtt.CommandsTopic);
        ResultTopic = UplinkProtocol.DeviceTopic(topicPrefix, deviceId, DeviceMqtt.CommandResultTopic);
        _runtime = runtime;
        _time = time;
        _logger = logger;
    }

    public string Topic { get; }

    public string ResultTopic { get; }

    public long AcceptedCount => Interlocked.Read(ref _accepted);

    public long RefusedCount => Interlocked.Read(ref _refused);

    public async Task OnConnectedAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        try
        {
            await MqttSession.SubscribeAsync(client, Topic, cancellationToken).ConfigureAwait(false);
        }
        catch (UplinkSendException e)
        {
            // Evidence delivery goes on without commands; the operator sees no result and the log says why.
            LogSubscribeFailed(Topic, e.Message);
        }
    }

    public async Task<bool> OnMessageAsync(MqttApplicationMessage message, DeviceMqtt device, CancellationToken cancellationToken)
    {
        if (!string.Equals(message.Topic, Topic, StringComparison.Ordinal))
        {
            return false;
        }

        // An oversized payload is not copied: a stand-in of the same class (too large) is refused unread.
        var payload = message.Payload.Length > CommandFormat.MaxMessageBytes ? new byte[CommandFormat.MaxMessageBytes + 1] : System.Buffers.BuffersExtensions.ToArray(message.Payload);
        var result = await HandleAsync(payload, cancellationToken).ConfigureAwait(false);
        await device.PublishAsync(ResultTopic, CanonicalJson.Serialize(result), retain: false, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Verifies, authorises, runs and audits one command. Internal for the fuzz test, which calls it directly too.</summary>
    internal async Task<CommandResult> HandleAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var verification = _verifier.Verify(payload);
        if (verification.Command is not { } command)
        {
            return Refuse(verification.Refusal!, verification.Message!, null, verification.Nonce);
        }

        var body = command.Body;
        var required = CommandFormat.RequiredRole(body.Command);
        if (command.Role < required)
        {
            return Refuse("forbidden", $"{body.Command} needs the {Name(required)} role; this operator is {Name(command.Role)}", command, body.Nonce);
        }

        try
        {
            switch (body.Command)
            {
                case CommandFormat.LegalHold:
                    _vault.Hold(body.EvidenceId!, body.Reason!);
                    return Accept(command, "the item is on legal hold");
                case CommandFormat.Release:
                    _vault.Release(body.EvidenceId!);
                    return Accept(command, "the legal hold is lifted");
                case CommandFormat.Resend:
                    return Resend(command);
                case CommandFormat.ReloadConfiguration when _runtime is not null:
                    var reload = await _runtime.ReloadAsync("command:" + command.OperatorId, cancellationToken).ConfigureAwait(false);
                    return reload.Applied
                        ? Accept(command, $"configuration reloaded (sha256 {reload.ConfigHash})") with { Applied = reload.Changed, NeedsRestart = reload.NeedsRestart }
                        : Refuse("invalid_configuration", $"the new file was refused with {reload.Errors.Count} error(s) (see the unit's log); the old configuration stays", command, body.Nonce);
                case CommandFormat.SetLogLevel when _runtime is not null:
                    _runtime.SetLogLevel(LevelOf(body.Level!));
                    return Accept(command, "log level is now " + body.Level);
                default:
                    return Refuse("not_available", NotAvailable, command, body.Nonce);
            }
        }
        catch (VaultException e) when (e.Kind == VaultErrorKind.NotFound)
        {
            return Refuse("unknown_evidence", "no item with this evidence id is in the vault", command, body.Nonce);
        }
        catch (VaultException e)
        {
            LogFailed(body.Command, e.Message);
            return Refuse("failed", "the vault could not apply the command (see the unit's log)", command, body.Nonce);
        }
    }

    private CommandResult Resend(VerifiedCommand command)
    {
        var id = command.Body.EvidenceId!;
        switch (_vault.Find(id)?.State)
        {
            case null:
                return Refuse("unknown_evidence", "no item with this evidence id is in the vault", command, command.Body.Nonce);
            case EvidenceState.AwaitingAck:
                _vault.Requeue(id, "resend_requested");
                return Accept(command, "the item is queued to be sent again");
            case EvidenceState.Sealed:
                return Accept(command, "the item is already queued to be sent");
            default:
                return Accept(command, "the item is being sent now");
        }
    }

    private CommandResult Accept(VerifiedCommand command, string detail)
    {
        Interlocked.Increment(ref _accepted);
        _vault.AuditCommand(Accepted, command.Body.EvidenceId, AuditDetail(command));
        LogAccepted(command.Body.Command, command.OperatorId, detail);
        return Result(Accepted, null, detail, command, command.Body.Nonce);
    }

    private CommandResult Refuse(string reason, string detail, VerifiedCommand? command, string? nonce)
    {
        Interlocked.Increment(ref _refused);
        _vault.AuditCommand("refused_" + reason, command?.Body.EvidenceId, command is null ? "command=unverified" : AuditDetail(command));
        LogRefused(reason, command?.Body.Command ?? "unverified", command?.OperatorId ?? "unverified", detail);
        return Result(RefusedOutcome, reason, detail, command, nonce);
    }

    private CommandResult Result(string outcome, string? reason, string detail, VerifiedCommand? command, string? nonce) => new()
    {
        Format = CommandFormat.ResultFormat,
        DeviceId = _deviceId,
        Outcome = outcome,
        Reason = reason,
        Detail = detail,
        Command = command?.Body.Command,
        OperatorId = command?.OperatorId,
        EvidenceId = command?.Body.EvidenceId,
        Nonce = nonce,
        At = SealingFormat.Timestamp(_time.GetUtcNow()),
    };

    /// <summary>Verified ids and fixed words only (the hold reason goes to the vault encrypted, never here).</summary>
    private static string AuditDetail(VerifiedCommand command) =>
        $"command={command.Body.Command};operator={command.OperatorId};role={Name(command.Role)};nonce={command.Body.Nonce}" + (command.Body.Level is { } level ? ";level=" + level : "");

    private static string Name(OperatorRole role) => role switch
    {
        OperatorRole.Admin => "admin",
        OperatorRole.Operator => "operator",
        _ => "viewer",
    };

    private static LogLevel LevelOf(string level) => level switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Remote command {Command} from {Operator} accepted: {Detail}")]
    private partial void LogAccepted(string command, string @operator, string detail);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Remote command {Command} from {Operator} refused ({Reason}): {Detail}")]
    private partial void LogRefused(string reason, string command, string @operator, string detail);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Error, Message = "Remote command {Command} failed: {Error}")]
    private partial void LogFailed(string command, string error);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Error, Message = "Subscribing to the command topic {Topic} failed: {Reason}; remote commands are unavailable")]
    private partial void LogSubscribeFailed(string topic, string reason);
}
