using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tests.Vault;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>The command handler over a real vault: roles, effects, audit lines, and 1000 fuzzed payloads that change nothing.</summary>
[TestFixture]
[CancelAfter(60_000)]
internal sealed class CommandHandlerTests : IDisposable
{
    private VaultTestEnvironment _env = null!;
    private EvidenceVault _vault = null!;
    private readonly Dictionary<OperatorRole, (string Id, ECDsa Key)> _keys = [];

    [SetUp]
    public void SetUp()
    {
        _env = new VaultTestEnvironment();
        _vault = _env.Open();
        foreach (var role in Enum.GetValues<OperatorRole>())
        {
            _keys[role] = (role.ToString().ToLowerInvariant() + "-1", ECDsa.Create(ECCurve.NamedCurves.nistP256));
        }
    }

    [TearDown]
    public void TearDown()
    {
        _vault.Dispose();
        foreach (var (_, key) in _keys.Values)
        {
            key.Dispose();
        }

        _env.Dispose();
    }

    public void Dispose()
    {
        _vault?.Dispose();
        _env?.Dispose();
    }

    private CommandHandler Handler(IRuntimeControl? runtime = null)
    {
        var operators = _keys.Select(k =>
        {
            var pub = ECDsa.Create();
            pub.ImportSubjectPublicKeyInfo(k.Value.Key.ExportSubjectPublicKeyInfo(), out _);
            return new OperatorKey(k.Value.Id, k.Key, pub);
        }).ToList();
        var verifier = new CommandVerifier(operators, VaultTestEnvironment.DeviceId, _env.Time, TimeSpan.FromMinutes(5));
        return new CommandHandler(verifier, _vault, "sensen", VaultTestEnvironment.DeviceId, runtime, _env.Time, NullLogger.Instance);
    }

    private byte[] Signed(OperatorRole role, string command, string? evidenceId = null, string? reason = null, string? level = null) =>
        new CommandSigner(_keys[role].Id, _keys[role].Key).Sign(VaultTestEnvironment.DeviceId, command, _env.Time.GetUtcNow(), evidenceId, reason, level);

    private async Task<EvidenceRecord> SealAsync(CancellationToken cancellationToken)
    {
        using var clip = new MemoryStream(VaultTestEnvironment.Clip(4000));
        return await _vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), clip, cancellationToken);
    }

    private string[] AuditLines() => [.. File.ReadAllLines(_env.AuditLogPath).Where(l => l.Contains("\"remote_command\"", StringComparison.Ordinal))];

    [Test]
    public async Task Handle_OperatorHoldThenAdminRelease_ChangesTheItemAndAuditsBoth(CancellationToken cancellationToken)
    {
        var item = await SealAsync(cancellationToken);
        var handler = Handler();

        var hold = await handler.HandleAsync(Signed(OperatorRole.Operator, CommandFormat.LegalHold, item.Id, "court order 17"), cancellationToken);
        Assert.That(hold.Outcome, Is.EqualTo("accepted"), hold.Detail);
        Assert.That(_vault.Find(item.Id)!.LegalHold, Is.True);
        Assert.That(_vault.HoldReason(item.Id), Is.EqualTo("court order 17"));

        var release = await handler.HandleAsync(Signed(OperatorRole.Admin, CommandFormat.Release, item.Id), cancellationToken);
        Assert.That(release.Outcome, Is.EqualTo("accepted"), release.Detail);
        Assert.That(_vault.Find(item.Id)!.LegalHold, Is.False);

        var audit = AuditLines();
        Assert.That(audit, Has.Length.EqualTo(2));
        Assert.That(audit[0], Does.Contain("command=legal_hold;operator=operator-1;role=operator").And.Contain("\"reason\":\"accepted\"").And.Contain(item.Id));
        Assert.That(audit[1], Does.Contain("command=release;operator=admin-1;role=admin"));
        Assert.That(File.ReadAllText(_env.AuditLogPath), Does.Not.Contain("court order 17"), "the hold reason never reaches the audit log in clear");
    }

    [Test]
    public async Task Handle_ViewerAndUnderPrivileged_AreForbiddenAndChangeNothing(CancellationToken cancellationToken)
    {
        var item = await SealAsync(cancellationToken);
        var runtime = new RecordingRuntimeControl();
        var handler = Handler(runtime);

        var results = new[]
        {
            await handler.HandleAsync(Signed(OperatorRole.Viewer, CommandFormat.LegalHold, item.Id, "x"), cancellationToken),
            await handler.HandleAsync(Signed(OperatorRole.Viewer, CommandFormat.SetLogLevel, level: "debug"), cancellationToken),
            await handler.HandleAsync(Signed(OperatorRole.Viewer, CommandFormat.Resend, item.Id), cancellationToken),
            await handler.HandleAsync(Signed(OperatorRole.Operator, CommandFormat.Release, item.Id), cancellationToken),
            await handler.HandleAsync(Signed(OperatorRole.Operator, CommandFormat.ReloadConfiguration), cancellationToken),
        };

        Assert.That(results.Select(r => (r.Outcome, r.Reason)), Is.All.EqualTo(("refused", "forbidden")));
        Assert.That(_vault.Find(item.Id)!.LegalHold, Is.False);
        Assert.That(runtime.Reloads, Is.Empty);
        Assert.That(runtime.Levels, Is.Empty);
        Assert.That(AuditLines(), Has.Length.EqualTo(5).And.All.Contain("refused_forbidden"));
    }

    [Test]
    public async Task Handle_ReloadAndLogLevelWithoutRuntime_AnswerNotAvailable(CancellationToken cancellationToken)
    {
        var handler = Handler(runtime: null);

        var reload = await handler.HandleAsync(Signed(OperatorRole.Admin, CommandFormat.ReloadConfiguration), cancellationToken);
        var level = await handler.HandleAsync(Signed(OperatorRole.Admin, CommandFormat.SetLogLevel, level: "debug"), cancellationToken);

        Assert.That((reload.Outcome, reload.Reason, reload.Detail), Is.EqualTo(("refused", "not_available", "not available in this build")));
        Assert.That((level.Outcome, level.Reason), Is.EqualTo(("refused", "not_available")));
        Assert.That(AuditLines(), Has.Length.EqualTo(2).And.All.Contain("refused_not_available"));
    }

    [Test]
    public async Task Handle_ReloadAndLogLevelWithRuntime_AreHandedToTheHost(CancellationToken cancellationToken)
    {
        var runtime = new RecordingRuntimeControl();
        var handler = Handler(runtime);

        var reload = await handler.HandleAsync(Signed(OperatorRole.Admin, CommandFormat.ReloadConfiguration), cancellationToken);
        var level = await handler.HandleAsync(Signed(OperatorRole.Operator, CommandFormat.SetLogLevel, level: "warning"), cancellationToken);
        runtime.Next = ReloadResult.Refused("abc123", ["sensen-edge.yaml:3:5: cameras[0].fps: 0 is out of range"]);
        var refused = await handler.HandleAsync(Signed(OperatorRole.Admin, CommandFormat.ReloadConfiguration), cancellationToken);

        Assert.That(reload.Outcome, Is.EqualTo("accepted"));
        Assert.That(level.Outcome, Is.EqualTo("accepted"));
        Assert.That((refused.Outcome, refused.Reason), Is.EqualTo(("refused", "invalid_configuration")));
        Assert.That(runtime.Reloads, Is.EqualTo(new[] { "command:admin-1", "command:admin-1" }));
        Assert.That(runtime.Levels, Is.EqualTo(new[] { LogLevel.Warning }));
    }

    [Test]
    public async Task Handle_ResendAwaitingAck_RequeuesIt_UnknownItem_IsRefused(CancellationToken cancellationToken)
    {
        var item = await SealAsync(cancellationToken);
        _vault.MarkSending(item.Id);
        _vault.MarkAwaitingAck(item.Id);
        var handler = Handler();

        var resend = await handler.HandleAsync(Signed(OperatorRole.Operator, CommandFormat.Resend, item.Id), cancellationToken);
        var unknown = await handler.HandleAsync(Signed(OperatorRole.Operator, CommandFormat.LegalHold, Guid.NewGuid().ToString(), "x"), cancellationToken);

        Assert.That(resend.Outcome, Is.EqualTo("accepted"));
        Assert.That(_vault.Find(item.Id)!.State, Is.EqualTo(EvidenceState.Sealed));
        Assert.That((unknown.Outcome, unknown.Reason), Is.EqualTo(("refused", "unknown_evidence")));
    }

    [Test]
    public async Task Handle_ReplayedAndExpiredCommands_AreRefusedAndAudited(CancellationToken cancellationToken)
    {
        var item = await SealAsync(cancellationToken);
        var handler = Handler();
        var hold = Signed(OperatorRole.Operator, CommandFormat.LegalHold, item.Id, "r");
        Assert.That((await handler.HandleAsync(hold, cancellationToken)).Outcome, Is.EqualTo("accepted"));
        _vault.Release(item.Id);

        var replayed = await handler.HandleAsync(hold, cancellationToken);
        _env.Time.Advance(TimeSpan.FromMinutes(10));
        var expired = await handler.HandleAsync(hold, cancellationToken);

        Assert.That(replayed.Reason, Is.EqualTo("replayed"));
        Assert.That(expired.Reason, Is.EqualTo("expired"));
        Assert.That(_vault.Find(item.Id)!.LegalHold, Is.False, "neither the replay nor the expired copy held it again");
        Assert.That(AuditLines().Count(l => l.Contains("refused_replayed", StringComparison.Ordinal) || l.Contains("refused_expired", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public async Task Handle_ThousandFuzzedCommands_NoCrashAndNothingChanges(CancellationToken cancellationToken)
    {
        var held = await SealAsync(cancellationToken);
        var free = await SealAsync(cancellationToken);
        _vault.Hold(held.Id, "keep");
        var before = _vault.List().Select(r => (r.Id, r.State, r.LegalHold)).ToList();
        var runtime = new RecordingRuntimeControl();
        var handler = Handler(runtime);
        var random = new Random(1013);
        var genuine = new[]
        {
            Signed(OperatorRole.Admin, CommandFormat.Release, held.Id),
            Signed(OperatorRole.Admin, CommandFormat.LegalHold, free.Id, "fuzz"),
            Signed(OperatorRole.Admin, CommandFormat.ReloadConfiguration),
        };

        for (var i = 0; i < 1200; i++)
        {
            var result = await handler.HandleAsync(CommandVerifierTests.Fuzz(random, genuine[i % genuine.Length], i), cancellationToken);
            Assert.That(result.Outcome, Is.EqualTo("refused"), $"fuzz case {i}");
        }

        Assert.That(_vault.List().Select(r => (r.Id, r.State, r.LegalHold)), Is.EqualTo(before));
        Assert.That(runtime.Reloads, Is.Empty);
        Assert.That(handler.AcceptedCount, Is.Zero);
        Assert.That(AuditLines(), Has.Length.EqualTo(1200), "every command is audited, refused ones too");
    }
}
