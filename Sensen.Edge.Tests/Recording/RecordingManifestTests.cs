using System.Security.Cryptography;
using System.Text;
using Sensen.Edge.Vault;
using Sensen.Edge.Tests.Vault;

namespace Sensen.Edge.Tests.Recording;

/// <summary>
/// Manifest format 3's recording members through the real sealer and verifier: they survive signing and parsing, an
/// absent plate is allowed, and a signed manifest whose recording members break the rules is refused with a message
/// that names the field.
/// </summary>
internal sealed class RecordingManifestTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private static EvidenceMetadata Metadata(ManifestPlate? plate) => VaultTestEnvironment.Metadata(Now) with
    {
        Events =
        [
            new ManifestEvent { RuleId = "lane", RuleType = "bus_lane", TrackId = 4, Class = "car", WindowStart = SealingFormat.Timestamp(Now.AddSeconds(-3)), WindowEnd = SealingFormat.Timestamp(Now), ConfidencePermille = 910, DwellMilliseconds = 3000 },
            new ManifestEvent { RuleId = "red", RuleType = "red_light", TrackId = 5, Class = "truck", WindowStart = SealingFormat.Timestamp(Now), WindowEnd = SealingFormat.Timestamp(Now), ConfidencePermille = 700, Signal = "red", RedMilliseconds = 2500, SpeedMetresPerHour = 48200, SpeedUncertaintyMetresPerHour = 2000 },
        ],
        Offenders = [new ManifestOffender { TrackId = 4, Class = "car", Frames = 80, FirstSeen = SealingFormat.Timestamp(Now.AddSeconds(-8)), LastSeen = SealingFormat.Timestamp(Now.AddSeconds(5)), FirstBox = new ManifestBox(1, 2, 30, 40), LastBox = new ManifestBox(5, 6, 35, 46) }],
        Plate = plate,
        Anonymisation = new ManifestAnonymisation { Frames = 130, FramesMaskedWhole = 1, MaskedWholeReasons = new Dictionary<string, int> { ["model_failed"] = 1 }, FacesObscured = 260, PlatesObscured = 40, Method = "mosaic", Models = new Dictionary<string, string> { ["blazeface"] = new string('d', 64) } },
        Video = new ManifestVideo { Encoder = "libx264", Width = 1280, Height = 720, Frames = 130, FrameRateMillihertz = 10_000 },
    };

    private static async Task<(string Json, ECDsa Device)> Seal(EvidenceMetadata metadata)
    {
        var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var city = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var evidence = await new EvidenceSealer(city, device, "unit-1").SealAsync(Guid.CreateVersion7(Now), metadata, Now, new MemoryStream(VaultTestEnvironment.Clip(100)), CancellationToken.None);
        return (Encoding.UTF8.GetString(evidence.ManifestJson.Span), device);
    }

    private static EvidenceManifest Verify(string json, ECDsa device) =>
        EvidenceOpener.Verify(Encoding.UTF8.GetBytes(json), EcdsaLowS.Normalize(device.SignData(Encoding.UTF8.GetBytes(json), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)), device);

    [Test]
    [CancelAfter(10_000)]
    public async Task Verify_RecordingMembers_SurviveSealingAndParsing()
    {
        var (json, device) = await Seal(Metadata(new ManifestPlate { TrackId = 4, Text = "ABC123", ConfidencePermille = 930, FrameSequence = 1207 }));
        using var _ = device;

        var m = Verify(json, device);

        Assert.That(m.Format, Is.EqualTo("sensen-evidence/4"));
        Assert.That(m.Events.Select(e => (e.RuleId, e.Signal, e.RedMilliseconds)), Is.EqualTo(new[] { ("lane", (string?)null, (long?)null), ("red", "red", 2500L) }));
        Assert.That(m.Offenders.Single().LastBox, Is.EqualTo(new ManifestBox(5, 6, 35, 46)));
        Assert.That(m.Plate!.Text, Is.EqualTo("ABC123"));
        Assert.That(m.Anonymisation.MaskedWholeReasons, Is.EquivalentTo(new Dictionary<string, int> { ["model_failed"] = 1 }));
        Assert.That(m.Video.Encoder, Is.EqualTo("libx264"));
        Assert.That(json, Does.Contain("\"events\":[{\"class\":\"car\",\"confidence_permille\":910,\"dwell_milliseconds\":3000,\"rule_id\":\"lane\""));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Verify_NoPlateRead_PlateMemberAbsentAndAccepted()
    {
        var (json, device) = await Seal(Metadata(plate: null));
        using var _ = device;

        Assert.That(json, Does.Not.Contain("\"plate\""));
        Assert.That(Verify(json, device).Plate, Is.Null);
    }

    [TestCase("\"confidence_permille\":910", "\"confidence_permille\":1910", "manifest field 'events[0]' has a measured value out of range")]
    [TestCase("\"dwell_milliseconds\":3000", "\"dwell_milliseconds\":-3000", "manifest field 'events[0]' has a measured value out of range")]
    [TestCase("\"frames_masked_whole\":1", "\"frames_masked_whole\":131", "manifest field 'anonymisation' has a negative or inconsistent counter, or an empty method or reason")]
    [TestCase("\"encoder\":\"libx264\"", "\"encoder\":\"\"", "manifest field 'video' has an empty encoder or a negative counter")]
    [TestCase("\"frames\":80", "\"frames\":-80", "manifest field 'offenders[0]' is incomplete or out of range")]
    [TestCase("\"rule_id\":\"lane\",", "", "manifest is not a valid sensen-evidence document")]
    [CancelAfter(10_000)]
    public async Task Verify_SignedButBreaksARecordingRule_RefusedNamingTheField(string from, string to, string message)
    {
        var (json, device) = await Seal(Metadata(plate: null));
        using var _ = device;
        var mangled = json.Replace(from, to, StringComparison.Ordinal);
        Assert.That(mangled, Is.Not.EqualTo(json));

        var e = Assert.Throws<EvidenceRejectedException>(() => Verify(mangled, device));

        Assert.That(e!.Message, Is.EqualTo(message));
    }
}
