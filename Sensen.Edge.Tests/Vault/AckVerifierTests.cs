using System.Buffers.Text;
using System.Diagnostics.Metrics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>The device side of the ack contract (docs/PROTOCOL.md, Acknowledgements), against messages the city side signs.</summary>
[TestFixture]
internal sealed class AckVerifierTests : IDisposable
{
    private const string Device = "unit-0042";
    private const string EvidenceId = "019ad2c4-8f00-7000-8000-00000000abcd";
    private static readonly string Sha = new('5', 64);
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private readonly ECDsa _cityAck = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(Now);
    private AckSigner _signer = null!;
    private AckVerifier _verifier = null!;

    [SetUp]
    public void SetUp()
    {
        _signer = new AckSigner(_cityAck);
        _verifier = new AckVerifier(_cityAck, Device, _time);
    }

    [TearDown]
    public void TearDown() => _verifier.Dispose();

    public void Dispose()
    {
        _verifier?.Dispose();
        _cityAck.Dispose();
    }

    [Test]
    public void Verify_SignedReceipt_YieldsEveryField()
    {
        var result = _verifier.Verify(_signer.Received(Device, EvidenceId, Sha, Now.AddMinutes(-1)));

        Assert.That(result.Refusal, Is.Null, result.Message);
        var ack = result.Ack!;
        Assert.Multiple(() =>
        {
            Assert.That(ack.Type, Is.EqualTo(AckType.Received));
            Assert.That(ack.DeviceId, Is.EqualTo(Device));
            Assert.That(ack.EvidenceId, Is.EqualTo(EvidenceId));
            Assert.That(ack.SealedSha256, Is.EqualTo(Sha));
            Assert.That(ack.IssuedAt, Is.EqualTo(Now.AddMinutes(-1)));
            Assert.That(ack.MissingChunks, Is.Empty);
            Assert.That(ack.KeyId, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(_cityAck.ExportSubjectPublicKeyInfo()))));
        });
    }

    [Test]
    public void Verify_SignedMissing_YieldsTheChunks()
    {
        var ack = _verifier.Verify(_signer.Missing(Device, EvidenceId, Sha, [0, 3, 17], Now)).Ack;

        Assert.That(ack?.Type, Is.EqualTo(AckType.Missing));
        Assert.That(ack!.MissingChunks, Is.EqualTo(new[] { 0, 3, 17 }));
    }

    [Test]
    public void Received_Wire_IsCompactJwsWithCanonicalHeaderAndBody()
    {
        var parts = Encoding.ASCII.GetString(_signer.Received(Device, EvidenceId, Sha, Now)).Split('.');

        Assert.That(parts, Has.Length.EqualTo(3));
        Assert.That(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])), Is.EqualTo($"{{\"alg\":\"ES256\",\"kid\":\"{_signer.KeyId}\",\"typ\":\"sensen-ack/1\"}}"));
        Assert.That(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])), Is.EqualTo(
            $"{{\"device_id\":\"{Device}\",\"evidence_id\":\"{EvidenceId}\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"{Sha}\",\"type\":\"received\"}}"));
        var signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.That(signature, Has.Length.EqualTo(64));
        Assert.That(_cityAck.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), Is.True, "plain ES256 (RFC 7518 §3.4): any JOSE library verifies it");
    }

    private static readonly object[] MalformedBodies =
    [
        new object[] { "unknown member", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"extra\":1,\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "duplicate member", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "format missing", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "wrong type", "{\"device_id\":7,\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "not canonical (whitespace)", "{\"device_id\": \"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "not canonical (order)", "{\"evidence_id\":\"" + EvidenceId + "\",\"device_id\":\"unit-0042\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "upper-case id", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId.ToUpperInvariant() + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "short hash", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"abc\",\"type\":\"received\"}" },
        new object[] { "local timestamp", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000+01\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "unknown type", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"deleted\"}" },
        new object[] { "other format", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/2\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "receipt with chunks", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"missing_chunks\":[1],\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"received\"}" },
        new object[] { "unsorted chunks", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"missing_chunks\":[3,1],\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"missing\"}" },
        new object[] { "negative chunk", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"missing_chunks\":[-1],\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"missing\"}" },
        new object[] { "missing without chunks", "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + new string('5', 64) + "\",\"type\":\"missing\"}" },
        new object[] { "not json", "received " + EvidenceId },
    ];

    [TestCaseSource(nameof(MalformedBodies))]
    public void Verify_SignedButMalformedBody_RefusedAsMalformed(string what, string body)
    {
        var result = _verifier.Verify(_signer.SignPayload(Encoding.UTF8.GetBytes(body)));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.Malformed), what + ": " + result.Message);
        Assert.That(result.Ack, Is.Null);
    }

    [Test]
    public void Verify_ValidBodyControl_ForTheMalformedCases_Verifies()
    {
        // The cases above differ from this one in a single point, so each refusal is that point's doing.
        var body = "{\"device_id\":\"unit-0042\",\"evidence_id\":\"" + EvidenceId + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"2026-11-28T08:00:00.0000000Z\",\"sealed_sha256\":\"" + Sha + "\",\"type\":\"received\"}";

        Assert.That(_verifier.Verify(_signer.SignPayload(Encoding.UTF8.GetBytes(body))).IsVerified, Is.True);
    }

    [TestCase("abc", TestName = "Verify_OnePart_Malformed")]
    [TestCase("a.b.c.d", TestName = "Verify_FourParts_Malformed")]
    [TestCase("", TestName = "Verify_Empty_Malformed")]
    public void Verify_BadFraming_Malformed(string message)
    {
        Assert.That(_verifier.Verify(Encoding.ASCII.GetBytes(message)).Refusal, Is.EqualTo(AckRefusal.Malformed));
    }

    [Test]
    public void Verify_PaddedBase64_Malformed()
    {
        var parts = Encoding.ASCII.GetString(_signer.Received(Device, EvidenceId, Sha, Now)).Split('.');
        var padded = parts[0] + "==." + parts[1] + "." + parts[2];

        Assert.That(_verifier.Verify(Encoding.ASCII.GetBytes(padded)).Refusal, Is.EqualTo(AckRefusal.Malformed));
    }

    [Test]
    public void Verify_OversizedMessage_MalformedWithoutEchoingIt()
    {
        var junk = Encoding.ASCII.GetBytes(new string('A', AckFormat.MaxMessageBytes + 1));

        var result = _verifier.Verify(junk);

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.Malformed));
        Assert.That(result.Message, Is.EqualTo($"the ack is {AckFormat.MaxMessageBytes + 1} bytes; at most {AckFormat.MaxMessageBytes} are allowed"));
    }

    [Test]
    public void Verify_FlippedSignatureBit_BadSignature()
    {
        var message = _signer.Received(Device, EvidenceId, Sha, Now);
        var parts = Encoding.ASCII.GetString(message).Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 0x01;

        var result = _verifier.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(signature)));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.BadSignature));
        Assert.That(result.EvidenceId, Is.EqualTo(EvidenceId), "a refusal still names the item it claims, for the once-per-item log");
    }

    [Test]
    public void Verify_HighSTwinOfAValidSignature_BadSignature()
    {
        var parts = Encoding.ASCII.GetString(_signer.Received(Device, EvidenceId, Sha, Now)).Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var high = order - new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var twin = signature[..32].Concat(high.ToByteArray(isUnsigned: true, isBigEndian: true)).ToArray();
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        Assert.That(twin, Has.Length.EqualTo(64), "the signer emitted low S, so n - s is in the high half and still 32 bytes");
        Assert.That(_cityAck.VerifyData(input, twin, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), Is.True, "ECDSA itself accepts the twin");

        var result = _verifier.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(twin)));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.BadSignature));
    }

    [Test]
    public void Verify_SignedByAnotherKeyNamingItself_UnknownKey()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = _verifier.Verify(new AckSigner(other).Received(Device, EvidenceId, Sha, Now));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.UnknownKey));
        Assert.That(result.Message, Is.EqualTo("the ack is signed with a key other than vault.city_ack_public_key"));
    }

    [Test]
    public void Verify_AnotherKeyClaimingOurKeyId_BadSignature()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Encoding.ASCII.GetString(new AckSigner(other).Received(Device, EvidenceId, Sha, Now)).Split('.');
        var header = Base64Url.EncodeToString(AckFormat.Header(_signer.KeyId));
        var signature = EcdsaLowS.Normalize(other.SignData(Encoding.ASCII.GetBytes(header + "." + forged[1]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        var result = _verifier.Verify(Encoding.ASCII.GetBytes(header + "." + forged[1] + "." + Base64Url.EncodeToString(signature)));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.BadSignature));
    }

    [Test]
    public void Verify_OtherDevice_WrongDevice()
    {
        var result = _verifier.Verify(_signer.Received("unit-0043", EvidenceId, Sha, Now));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.WrongDevice));
        Assert.That(result.Message, Is.EqualTo("the ack is for another device"));
    }

    [Test]
    public void Verify_EightDaysOld_Stale()
    {
        var result = _verifier.Verify(_signer.Received(Device, EvidenceId, Sha, Now.AddDays(-8)));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.Stale));
        Assert.That(result.Message, Is.EqualTo("the ack was issued at 2026-11-20T08:00:00.0000000Z, more than 168 hours ago"));
    }

    [Test]
    public void Verify_SixDaysOld_Verifies() =>
        Assert.That(_verifier.Verify(_signer.Received(Device, EvidenceId, Sha, Now.AddDays(-6))).IsVerified, Is.True);

    [Test]
    public void Verify_ConfiguredMaxAge_IsUsed()
    {
        using var strict = new AckVerifier(_cityAck, Device, _time, maxAge: TimeSpan.FromHours(1));

        Assert.That(strict.Verify(_signer.Received(Device, EvidenceId, Sha, Now.AddHours(-2))).Refusal, Is.EqualTo(AckRefusal.Stale));
    }

    [Test]
    public void Verify_SixMinutesAhead_FromTheFuture()
    {
        var result = _verifier.Verify(_signer.Received(Device, EvidenceId, Sha, Now.AddMinutes(6)));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.FromTheFuture));
        Assert.That(result.Message, Is.EqualTo("the ack was issued at 2026-11-28T08:06:00.0000000Z, more than 5 minutes ahead of this unit's clock"));
    }

    [Test]
    public void Verify_FourMinutesAhead_Verifies() =>
        Assert.That(_verifier.Verify(_signer.Received(Device, EvidenceId, Sha, Now.AddMinutes(4))).IsVerified, Is.True);

    [Test]
    public void Verify_LongUntrustedValues_NeverEchoedInTheMessage()
    {
        var evil = new string('X', 5000);
        var body = "{\"device_id\":\"" + evil + "\",\"evidence_id\":\"" + evil + "\",\"format\":\"sensen-ack/1\",\"issued_at\":\"" + evil + "\",\"sealed_sha256\":\"" + evil + "\",\"type\":\"received\"}";

        var result = _verifier.Verify(_signer.SignPayload(Encoding.UTF8.GetBytes(body)));

        Assert.That(result.Refusal, Is.EqualTo(AckRefusal.Malformed));
        Assert.That(result.Message, Does.Not.Contain("XXXX"));
        Assert.That(result.Message.Length, Is.LessThan(200));
        Assert.That(result.EvidenceId, Is.Null, "a claimed id that is not a UUID is not kept");
    }

    [Test]
    public void Verify_SameRefusalTwice_CountedTwiceLoggedOnce()
    {
        using var capture = new LogCapture();
        using var verifier = new AckVerifier(_cityAck, Device, _time, capture.CreateLogger("test"));
        var counted = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, verifier.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => counted.Add($"{instrument.Name} {value} {tags[0].Key}={tags[0].Value}"));
        listener.Start();
        var stale = _signer.Received(Device, EvidenceId, Sha, Now.AddDays(-30));

        verifier.Verify(stale);
        verifier.Verify(stale);
        verifier.Verify(_signer.Received("unit-0043", EvidenceId, Sha, Now));

        Assert.That(counted, Is.EqualTo(new[] { "sensen.vault.acks_refused 1 reason=stale", "sensen.vault.acks_refused 1 reason=stale", "sensen.vault.acks_refused 1 reason=wrong_device" }));
        Assert.That(capture.Lines, Is.EqualTo(new[]
        {
            $"Warning test: Ack for {EvidenceId} refused (stale): the ack was issued at 2026-10-29T08:00:00.0000000Z, more than 168 hours ago; nothing was deleted",
            $"Warning test: Ack for {EvidenceId} refused (wrong_device): the ack is for another device; nothing was deleted",
        }));
    }

    [Test]
    public void Missing_UnsortedChunks_SignerRefuses() =>
        Assert.Throws<ArgumentException>(() => _signer.Missing(Device, EvidenceId, Sha, [2, 1], Now));

    [Test]
    public void EcdsaLowS_Normalize_AlwaysLowAndStillValid()
    {
        var data = Encoding.ASCII.GetBytes("low-s");
        for (var i = 0; i < 32; i++)
        {
            var signature = EcdsaLowS.Normalize(_cityAck.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
            Assert.That(EcdsaLowS.IsLowS(signature), Is.True);
            Assert.That(_cityAck.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), Is.True);
        }
    }
}
