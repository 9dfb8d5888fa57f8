using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>Retention trusts the wall clock only when it is synchronised and the vault's observed time agrees (docs/VAULT.md, Retention).</summary>
[TestFixture]
internal sealed class VaultRetentionTests : IDisposable
{
    private VaultTestEnvironment _env = null!;

    [SetUp]
    public void SetUp() => _env = new VaultTestEnvironment();

    [TearDown]
    public void TearDown() => _env.Dispose();

    public void Dispose() => _env?.Dispose();

    [Test]
    [CancelAfter(20_000)]
    public async Task PurgeExpired_WallClockJumpsFiveYears_KeepsEverythingAndRaisesTheAlarm(CancellationToken cancellationToken)
    {
        var clock = new JumpingClock(_env.Time);
        using var vault = EvidenceVault.Open(_env.Settings(), clock, NullLogger.Instance);
        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(clock.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        var deferred = Listen(vault);
        _env.Time.Advance(TimeSpan.FromHours(1));

        clock.Jump = TimeSpan.FromDays(5 * 365);

        Assert.That(vault.PurgeExpired(), Is.Zero);
        Assert.That(vault.Find(record.Id), Is.Not.Null, "a never-delivered clip survives a clock that jumped");
        Assert.That(deferred, Is.EqualTo(new[] { "1 clock_disagrees" }));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PurgeExpired_ClockNotSynchronised_KeepsUntilItIs(CancellationToken cancellationToken)
    {
        using var vault = _env.Open();
        var record = await vault.SealAsync(VaultTestEnvironment.Metadata(_env.Time.GetUtcNow()), new MemoryStream(VaultTestEnvironment.Clip(1000)), cancellationToken);
        var deferred = Listen(vault);
        _env.Time.Advance(TimeSpan.FromDays(31));

        _env.ClockSynchronized = false;
        Assert.That(vault.PurgeExpired(), Is.Zero);
        Assert.That(deferred, Is.EqualTo(new[] { "1 clock_not_synchronised" }));

        _env.ClockSynchronized = true;
        Assert.That(vault.PurgeExpired(), Is.EqualTo(1));
        Assert.That(vault.Find(record.Id), Is.Null);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PurgeExpired_AcrossARestartWithASynchronisedClock_CreditsTheDowntime(CancellationToken cancellationToken)
    {
        var record = await _env.SealInClosedVaultAsync(1000, cancellationToken);
        _env.Time.Advance(TimeSpan.FromDays(5));
        using var vault = _env.Open();
        _env.Time.Advance(TimeSpan.FromDays(24));
        Assert.That(vault.PurgeExpired(), Is.Zero, "29 days");

        _env.Time.Advance(TimeSpan.FromDays(1.1));

        Assert.That(vault.PurgeExpired(), Is.EqualTo(1), "5 days off (credited) + 25.1 days running");
        Assert.That(vault.Find(record.Id), Is.Null);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PurgeExpired_AfterAGapLongerThanAWeek_GapNotCreditedEvidenceKept(CancellationToken cancellationToken)
    {
        var record = await _env.SealInClosedVaultAsync(1000, cancellationToken);
        _env.Time.Advance(TimeSpan.FromDays(40));

        using var vault = _env.Open();

        Assert.That(vault.PurgeExpired(), Is.Zero, "a 40-day gap on the wall clock's word alone is not credited");
        Assert.That(vault.Find(record.Id), Is.Not.Null);
    }

    private static List<string> Listen(EvidenceVault vault)
    {
        var seen = new List<string>();
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, vault.Meter) && instrument.Name == "sensen.vault.retention_deferred")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => seen.Add($"{value} {tags[0].Value}"));
        listener.Start();
        return seen;
    }

    /// <summary>A wall clock that can jump while the monotonic clock (the fake's timestamp) runs on undisturbed.</summary>
    private sealed class JumpingClock(FakeTimeProvider inner) : TimeProvider
    {
        public TimeSpan Jump { get; set; }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Jump;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;
    }
}
