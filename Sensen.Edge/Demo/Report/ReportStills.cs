using System.Globalization;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Demo.Report;

/// <summary>
/// Takes the report's stills from a received clip with ffmpeg: the frame where the offender was first seen
/// (its box drawn in red), the violation's start and end, and the frame where it was last seen (box drawn).
/// A frame's index is its time's share of the clip's span: a clip with frames dropped before detection plays
/// slightly fast (docs/RECORDING.md), so the share, not the frame rate, finds the frame.
/// </summary>
internal static class ReportStills
{
    private const int StillWidth = 640;

    public static async Task<IReadOnlyList<ReportStill>> TakeAsync(string ffmpeg, EvidenceManifest manifest, string clipPath, string imagesDirectory, string prefix, CancellationToken cancellationToken)
    {
        var frames = manifest.Video.Frames;
        if (frames <= 0)
        {
            return [];
        }

        var clipStart = Parse(manifest.ClipStart);
        var span = (Parse(manifest.ClipEnd) - clipStart).TotalSeconds;
        int IndexAt(string timestamp) =>
            span <= 0 ? 0 : Math.Clamp((int)Math.Round((Parse(timestamp) - clipStart).TotalSeconds / span * (frames - 1)), 0, frames - 1);

        // The offender of the item's own rule (a merged clip lists other events, and their offenders, too).
        var headline = manifest.Events.FirstOrDefault(e => e.RuleId == manifest.RuleId);
        var offender = manifest.Offenders.FirstOrDefault(o => headline is not null && o.TrackId == headline.TrackId)
            ?? (manifest.Offenders.Count > 0 ? manifest.Offenders[0] : null);
        var wanted = new List<(int Index, string Caption, ManifestBox? Box)>();
        if (offender is not null)
        {
            wanted.Add((IndexAt(offender.FirstSeen), $"offender {offender.Class} #{offender.TrackId} first seen, {Clock(offender.FirstSeen)}", offender.FirstBox));
        }

        wanted.Add((IndexAt(manifest.EventStart), $"violation begins, {Clock(manifest.EventStart)}", null));
        wanted.Add((IndexAt(manifest.EventEnd), $"violation decided, {Clock(manifest.EventEnd)}", null));
        if (offender is not null)
        {
            wanted.Add((IndexAt(offender.LastSeen), $"offender {offender.Class} #{offender.TrackId} last seen, {Clock(offender.LastSeen)}", offender.LastBox));
        }

        // One frame once, in clip order (ffmpeg's select emits them in that order).
        var chosen = wanted.GroupBy(w => w.Index).Select(g => g.First()).OrderBy(w => w.Index).ToList();
        var c = CultureInfo.InvariantCulture;
        var filters = new List<string>();
        foreach (var (index, _, box) in chosen)
        {
            if (box is not null)
            {
                filters.Add(string.Create(c, $"drawbox=x={box.X1}:y={box.Y1}:w={Math.Max(1, box.X2 - box.X1)}:h={Math.Max(1, box.Y2 - box.Y1)}:color=red@0.9:t=4:enable='eq(n\\,{index})'"));
            }
        }

        filters.Add("select='" + string.Join('+', chosen.Select(w => string.Create(c, $"eq(n\\,{w.Index})"))) + "'");
        filters.Add(string.Create(c, $"scale={StillWidth}:-2"));
        var pattern = Path.Combine(imagesDirectory, prefix + "-%d.png");
        await SceneFfmpeg.ReadAsync(ffmpeg, ["-i", clipPath, "-vf", string.Join(',', filters), "-fps_mode", "passthrough", "-f", "image2", pattern], cancellationToken).ConfigureAwait(false);

        var stills = new List<ReportStill>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var file = $"{prefix}-{i + 1}.png";
            if (File.Exists(Path.Combine(imagesDirectory, file)))
            {
                stills.Add(new ReportStill("images/" + file, chosen[i].Index, chosen[i].Caption, chosen[i].Box is not null));
            }
        }

        return stills;
    }

    private static DateTimeOffset Parse(string timestamp) => DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Clock(string timestamp) => Parse(timestamp).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
