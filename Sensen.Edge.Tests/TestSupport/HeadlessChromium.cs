using System.Diagnostics;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>
/// Debian's chromium, headless: loads a local page, lets its scripts run (a virtual-time budget, so it waits
/// for the load event rather than a wall-clock guess) and returns the DOM as the page left it.
/// </summary>
internal static class HeadlessChromium
{
    public const string Binary = "/usr/bin/chromium";

    public static async Task<string> DumpDomAsync(string htmlPath, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("sensen-edge-chromium-");
        try
        {
            var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=10000", "--dump-dom", new Uri(htmlPath).AbsoluteUri })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var dom = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            Assert.That(process.ExitCode, Is.Zero, $"chromium failed: {await errors}");
            return dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
