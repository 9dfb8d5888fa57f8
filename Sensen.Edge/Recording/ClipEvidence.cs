using Sensen.Edge.Configuration;
using Sensen.Edge.Privacy;
using Sensen.Edge.Rules;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Recording;

/// <summary>Turns a finished clip into the vault's <see cref="EvidenceMetadata"/> (docs/RECORDING.md, "Manifest"): pure, so tests pin the mapping.</summary>
internal static class ClipEvidence
{
    public static EvidenceMetadata Metadata(
        ClipRecording clip,
        ClipStatistics stats,
        AnonymisationSummary anonymisation,
        PlateRead? plate,
        ManifestVideo video,
        ClockSyncState clock,
        string configSha256,
        IReadOnlyDictionary<string, string> liveModels)
    {
        var events = clip.Events;
        var first = events[0];
        var health = clip.CountersAtClose - clip.CountersAtOpen;
        var models = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, hash) in liveModels)
        {
            models[name] = hash.ToLowerInvariant();
        }

        foreach (var (name, hash) in anonymisation.Models)
        {
            models[name] = hash.ToLowerInvariant();
        }

        return new EvidenceMetadata
        {
            CameraId = clip.CameraId,
            RuleId = first.RuleId,
            RuleType = SnakeCase.From(first.Kind.ToString()),
            EventStart = events.Min(e => e.WindowStart),
            EventEnd = events.Max(e => e.WindowEnd),
            ClipStart = stats.FirstTime ?? clip.Window.Start,
            ClipEnd = stats.LastTime ?? clip.Window.End,
            ClockSync = clock,
            ConfigSha256 = configSha256,
            ModelSha256 = models,
            StreamHealth = new StreamHealth(stats.Analysed, health.Dropped + clip.Lost, (int)Math.Min(int.MaxValue, health.Reconnects), (long)stats.Stalled.TotalMilliseconds, clip.LostToClipMemory),
            Events = [.. events.Select(Event)],
            Offenders = stats.Offenders(),
            Plate = plate is null ? null : new ManifestPlate { TrackId = plate.TrackId, Text = plate.Text, ConfidencePermille = Permille(plate.Confidence), FrameSequence = plate.FrameSequence },
            Anonymisation = new ManifestAnonymisation
            {
                Frames = anonymisation.Frames,
                FramesMaskedWhole = anonymisation.FramesMaskedWhole,
                MaskedWholeReasons = new SortedDictionary<string, int>(anonymisation.MaskedWholeReasons.ToDictionary(), StringComparer.Ordinal),
                FacesObscured = anonymisation.FacesObscured,
                PlatesObscured = anonymisation.PlatesObscured,
                Method = anonymisation.Method.Length == 0 ? "unknown" : anonymisation.Method,
                Models = new SortedDictionary<string, string>(anonymisation.Models.ToDictionary(p => p.Key, p => p.Value.ToLowerInvariant()), StringComparer.Ordinal),
            },
            Video = video,
        };
    }

    public static ManifestEvent Event(ViolationEvent e) => new()
    {
        RuleId = e.RuleId,
        RuleType = SnakeCase.From(e.Kind.ToString()),
        TrackId = e.TrackId,
        Class = e.Class.ToString().ToLowerInvariant(),
        WindowStart = SealingFormat.Timestamp(e.WindowStart),
        WindowEnd = SealingFormat.Timestamp(e.WindowEnd),
        ConfidencePermille = Permille(e.Confidence),
        DwellMilliseconds = Scaled(e.DwellSeconds, 1000),
        SpeedMetresPerHour = Scaled(e.SpeedKmh, 1000),
        SpeedUncertaintyMetresPerHour = Scaled(e.SpeedUncertaintyKmh, 1000),
        Signal = e.Signal is { } s ? SnakeCase.From(s.ToString()) : null,
        RedMilliseconds = Scaled(e.RedSeconds, 1000),
        WrongWayTravelPpm = Scaled(e.WrongWayTravel, 1_000_000),
    };

    private static int Permille(double value) => (int)Math.Clamp(Math.Round(value * 1000, MidpointRounding.AwayFromZero), 0, 1000);

    private static long? Scaled(double? value, double scale) => value is { } v && double.IsFinite(v) ? (long)Math.Round(Math.Max(0, v) * scale, MidpointRounding.AwayFromZero) : null;
}
