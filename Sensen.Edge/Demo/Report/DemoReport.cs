using System.Text;
using System.Text.Json;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Demo.Report;

/// <summary>
/// The demo's report: <c>report.html</c> and its PNG stills in one directory, from what the reference receiver
/// decrypted (never from the unit's side: the page shows what the city gets). Stills are cut and scaled by
/// ffmpeg, which already decodes the clips; no image library decodes anything here.
/// </summary>
internal static class DemoReport
{
    /// <summary>Writes the report and returns the path of <c>report.html</c>.</summary>
    public static async Task<string> WriteAsync(DemoReportInput input, string outputDirectory, CancellationToken cancellationToken)
    {
        var images = Path.Combine(outputDirectory, "images");
        if (Directory.Exists(images))
        {
            Directory.Delete(images, recursive: true);
        }

        Directory.CreateDirectory(images);
        var items = new List<ReportItem>();
        var problems = new List<string>();
        var evidence = Path.Combine(input.ReceiverOutputDirectory, "evidence");
        var directories = Directory.Exists(evidence)
            ? Directory.EnumerateDirectories(evidence).SelectMany(Directory.EnumerateDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        foreach (var directory in directories)
        {
            var manifestPath = Path.Combine(directory, "manifest.json");
            var clipPath = Path.Combine(directory, "clip.mp4");
            if (!File.Exists(manifestPath) || !File.Exists(clipPath))
            {
                problems.Add($"{Path.GetFileName(directory)}: no manifest.json or clip.mp4");
                continue;
            }

            var json = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
            EvidenceManifest manifest;
            try
            {
                manifest = CanonicalJson.Deserialize<EvidenceManifest>(json);
            }
            catch (JsonException e)
            {
                problems.Add($"{Path.GetFileName(directory)}: manifest unreadable ({e.Message})");
                continue;
            }

            IReadOnlyList<ReportStill> stills;
            try
            {
                stills = await ReportStills.TakeAsync(input.FfmpegPath, manifest, clipPath, images, $"e{items.Count + 1}", cancellationToken).ConfigureAwait(false);
            }
            catch (SceneException e)
            {
                problems.Add($"{manifest.EvidenceId}: no stills ({e.Message})");
                stills = [];
            }

            items.Add(new ReportItem(manifest, Encoding.UTF8.GetString(json), clipPath, stills));
        }

        var ordered = items.OrderBy(i => i.Manifest.EventStart, StringComparer.Ordinal).ToList();
        var path = Path.Combine(outputDirectory, "report.html");
        await File.WriteAllTextAsync(path, ReportHtml.Render(input, ordered, problems, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        return path;
    }
}
