using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Telemetry;

[TestFixture]
internal sealed class CommandVerifierTests
{
    private const string Device = "unit-cmd-01";
    private const string EvidenceId = "0b8f5c1e-6d2a-4c3b-9e8f-7a6b5c4d3e2f";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);
    private ECDsa _operatorKey = null!;
    private ECDsa _adminKey = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _operatorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _adminKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _time = new FakeTimeProvider(Now);
    }

    [TearDown]
    public void TearDown()
    {
        _operatorKey.Dispose();
        _adminKey.Dispose();
    }

    private CommandVerifier Verifier(int capacity = CommandVerifier.NonceCapacity) => new(
        [new OperatorKey("op-1", OperatorRole.Operator, PublicOnly(_operatorKey)), new OperatorKey("admin-1", OperatorRole.Admin, PublicOnly(_adminKey))],
        Device, _time, TimeSpan.FromMinutes(5), capacity);

    private static ECDsa PublicOnly(ECDsa key)
    {
        var pub = ECDsa.Create();
        pub.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return pub;
    }

    private byte[] Hold(string operatorId = "op-1", ECDsa? key = null, DateTimeOffset? at = null, string device = Device, string? nonce = null) =>
        new CommandSigner(operatorId, key ?? _operatorKey).Sign(device, CommandFormat.LegalHold, at ?? Now, EvidenceId, "court order 17", nonce: nonce);

    [Test]
    public void Verify_GenuineCommand_IsVerifiedWithOperatorAndRole()
    {
        var result = Verifier().Verify(Hold());

        Assert.That(result.Refusal, Is.Null, result.Message);
        Assert.That(result.Command!.OperatorId, Is.EqualTo("op-1"));
        Assert.That(result.Command.Role, Is.EqualTo(OperatorRole.Operator));
        Assert.That(result.Command.Body.EvidenceId, Is.EqualTo(EvidenceId));
    }

    [Test]
    public void Reconfigure_NewKeysAndWindow_TakeEffectAndAcceptedNoncesAreKept()
    {
        var verifier = Verifier();
        var accepted = Hold(nonce: "bm9uY2UtYmVmb3JlLXJlbG9hZA");
        Assert.That(verifier.Verify(accepted).Refusal, Is.Null);
        using var night = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // op-1 stays, admin-1 goes, night-1 comes; the window narrows from 5 minutes to 1.
        verifier.Reconfigure(
            [new OperatorKey("op-1", OperatorRole.Operator, PublicOnly(_operatorKey)), new OperatorKey("night-1", OperatorRole.Operator, PublicOnly(night))],
            TimeSpan.FromMinutes(1));

        Assert.That(verifier.Verify(accepted).Refusal, Is.EqualTo("replayed"), "a nonce accepted before the reload");
        Assert.That(verifier.Verify(Hold("night-1", night)).Refusal, Is.Null, "the new operator");
        Assert.That(verifier.Verify(Hold("admin-1", _adminKey)).Refusal, Is.EqualTo("unknown_operator"), "the removed operator");
        Assert.That(verifier.Verify(Hold(at: Now.AddMinutes(-2))).Refusal, Is.EqualTo("expired"), "inside the old window, outside the new one");
        Assert.That(verifier.MaxAge, Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(verifier.Operators.Keys, Is.EquivalentTo(new[] { "op-1", "night-1" }));
    }

    [Test]
    public void Reconfigure_WindowWidenedWhenFull_OldNoncesAreNotEvictedIntoFreshness()
    {
        var verifier = Verifier(capacity: 1);
        var first = Hold(at: Now.AddMinutes(-3), nonce: "Zmlyc3Qtbm9uY2UtMTIzNDU2");
        Assert.That(verifier.Verify(first).Refusal, Is.Null);

        // Narrowed to 1 minute, the first (3 minutes old) is expired for now, but the widest window so far (5) bounds
        // eviction: the cache stays full. Widened to 10 minutes afterwards, the first is fresh again and still remembered.
        verifier.Reconfigure([new OperatorKey("op-1", OperatorRole.Operator, PublicOnly(_operatorKey))], TimeSpan.FromMinutes(1));
        Assert.That(verifier.Verify(Hold()).Refusal, Is.EqualTo("busy"), "the cache is full and its entry could become replayable again");
        verifier.Reconfigure([new OperatorKey("op-1", OperatorRole.Operator, PublicOnly(_operatorKey))], TimeSpan.FromMinutes(10));

        Assert.That(verifier.Verify(first).Refusal, Is.EqualTo("replayed"));
    }

    [Test]
    public void Verify_SignedByAKeyNotListed_IsBadSignature()
    {
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.That(Verifier().Verify(Hold(key: forger)).Refusal, Is.EqualTo("bad_signature"));
    }

    [Test]
    public void Verify_OperatorClaimsAdminKid_IsBadSignature()
    {
        // The operator signs with their own key but names the admin: the admin's key does not verify it.
        Assert.That(Verifier().Verify(Hold(operatorId: "admin-1", key: _operatorKey)).Refusal, Is.EqualTo("bad_signature"));
    }

    [Test]
    public void Verify_UnknownOperator_IsRefused()
    {
        Assert.That(Verifier().Verify(Hold(operatorId: "nobody")).Refusal, Is.EqualTo("unknown_operator"));
    }

    [Test]
    public void Verify_SameCommandTwice_SecondIsReplayed()
    {
        var verifier = Verifier();
        var command = Hold();

        Assert.That(verifier.Verify(command).Refusal, Is.Null);
        Assert.That(verifier.Verify(command).Refusal, Is.EqualTo("replayed"));
    }

    [Test]
    public void Verify_OlderThanWindow_IsExpired_AndFarFuture_IsRefused()
    {
        var verifier = Verifier();

        Assert.That(verifier.Verify(Hold(at: Now.AddMinutes(-6))).Refusal, Is.EqualTo("expired"));
        Assert.That(verifier.Verify(Hold(at: Now.AddMinutes(2))).Refusal, Is.EqualTo("from_the_future"));
        Assert.That(verifier.Verify(Hold(at: Now.AddMinutes(-4))).Refusal, Is.Null, "inside the window");
    }

    [Test]
    public void Verify_ForAnotherDevice_IsWrongDevice()
    {
        Assert.That(Verifier().Verify(Hold(device: "unit-other")).Refusal, Is.EqualTo("wrong_device"));
    }

    [Test]
    public void Verify_NonceCacheFull_RefusesBusyUntilOldNoncesExpire()
    {
        var verifier = Verifier(capacity: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(verifier.Verify(Hold()).Refusal, Is.Null);
        }

        Assert.That(verifier.Verify(Hold()).Refusal, Is.EqualTo("busy"), "a full cache never forgets a nonce still inside the window");
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.That(verifier.Verify(Hold(at: _time.GetUtcNow())).Refusal, Is.Null, "expired nonces make room");
        Assert.That(verifier.RememberedNonces, Is.LessThanOrEqualTo(3));
    }

    [Test]
    public void Verify_WellSignedButMalformedBodies_AreMalformed()
    {
        var signer = new CommandSigner("op-1", _operatorKey);
        var at = SealingFormat.Timestamp(Now);
        string[] bodies =
        [
            "{}",
            $"{{\"command\":\"format_disk\",\"device_id\":\"{Device}\",\"format\":\"sensen-command/1\",\"issued_at\":\"{at}\",\"nonce\":\"aaaaaaaaaaaaaaaaaaaa\"}}",
            $"{{\"command\":\"legal_hold\",\"device_id\":\"{Device}\",\"format\":\"sensen-command/1\",\"issued_at\":\"{at}\",\"nonce\":\"aaaaaaaaaaaaaaaaaaaa\"}}",
            $"{{\"command\":\"release\",\"device_id\":\"{Device}\",\"evidence_id\":\"{EvidenceId}\",\"extra\":1,\"format\":\"sensen-command/1\",\"issued_at\":\"{at}\",\"nonce\":\"aaaaaaaaaaaaaaaaaaaa\"}}",
            $"{{\"command\":\"release\",\"device_id\":\"{Device}\",\"evidence_id\":\"{EvidenceId}\",\"format\":\"sensen-command/1\",\"issued_at\":\"{at}\",\"nonce\":\"short\"}}",
            $"{{\"format\":\"sensen-command/1\",\"command\":\"release\",\"device_id\":\"{Device}\",\"evidence_id\":\"{EvidenceId}\",\"issued_at\":\"{at}\",\"nonce\":\"aaaaaaaaaaaaaaaaaaaa\"}}",
            $"{{\"command\":\"set_log_level\",\"device_id\":\"{Device}\",\"format\":\"sensen-command/1\",\"issued_at\":\"{at}\",\"level\":\"verbose\",\"nonce\":\"aaaaaaaaaaaaaaaaaaaa\"}}",
        ];

        foreach (var body in bodies)
        {
            Assert.That(Verifier().Verify(signer.SignPayload(Encoding.UTF8.GetBytes(body))).Refusal, Is.EqualTo("malformed"), body);
        }
    }

    [Test]
    public void Verify_ThousandFuzzedPayloads_NeverVerifiesNorThrows()
    {
        var verifier = Verifier();
        var random = new Random(14);
        var genuine = Hold();
        var refusals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 1500; i++)
        {
            var payload = Fuzz(random, genuine, i);
            var result = verifier.Verify(payload);
            Assert.That(result.Command, Is.Null, $"fuzz case {i} verified");
            refusals[result.Refusal!] = refusals.GetValueOrDefault(result.Refusal!) + 1;
        }

        Assert.That(refusals.Keys, Is.SupersetOf(new[] { "malformed", "bad_signature" }), string.Join(", ", refusals));
    }

    /// <summary>Bit flips, truncations and splices of a genuine command, and random bytes and dotted garbage.</summary>
    internal static byte[] Fuzz(Random random, byte[] genuine, int i)
    {
        switch (i % 5)
        {
            case 0:
                var flipped = (byte[])genuine.Clone();
                var flips = 1 + random.Next(3);
                for (var f = 0; f < flips; f++)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }

                return flipped;
            case 1:
                return genuine[..random.Next(genuine.Length)];
            case 2:
                var bytes = new byte[random.Next(0, 600)];
                random.NextBytes(bytes);
                return bytes;
            case 3:
                var parts = Encoding.ASCII.GetString(genuine).Split('.');
                parts[random.Next(3)] = Convert.ToBase64String(RandomBytes(random, random.Next(1, 200))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                return Encoding.ASCII.GetBytes(string.Join('.', parts));
            default:
                var dotted = new StringBuilder();
                for (var k = random.Next(1, 6); k > 0; k--)
                {
                    dotted.Append(Convert.ToBase64String(RandomBytes(random, random.Next(0, 80)))).Append('.');
                }

                return Encoding.ASCII.GetBytes(dotted.ToString());
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
