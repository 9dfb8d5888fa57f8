using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Hosting;

/// <summary>
/// systemd/sensen-edge.service as systemd's own analyser judges it. Works in a container without systemd as
/// PID 1: <c>--offline=yes</c> reads the file alone, and <c>verify</c> runs against a temporary root holding
/// the unit, stub executables at its command paths and the distribution's unit directory (for its targets).
/// </summary>
internal sealed partial class SystemdUnitTests
{
    private static string Unit => Path.Combine(RepoPaths.Root, "systemd", "sensen-edge.service");

    [Test]
    [CancelAfter(60_000)]
    public async Task Security_Offline_ExposureAtMost2(CancellationToken cancellationToken)
    {
        var (code, stdout, stderr) = await AnalyzeAsync(["security", "--offline=yes", "--no-pager", Unit], cancellationToken);

        Assert.That(code, Is.Zero, stderr);
        var match = ExposureLine().Match(stdout);
        Assert.That(match.Success, Is.True, stdout);
        var exposure = double.Parse(match.Groups["level"].Value, CultureInfo.InvariantCulture);
        Assert.That(exposure, Is.LessThanOrEqualTo(2.0), stdout);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Verify_InTemporaryRoot_Clean(CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("sensen-unit-").FullName;
        try
        {
            var text = await File.ReadAllTextAsync(Unit, cancellationToken);
            foreach (var command in CommandPath().Matches(text).Select(m => m.Groups["path"].Value).Distinct())
            {
                var stub = Path.Combine(root, command.TrimStart('/'));
                Directory.CreateDirectory(Path.GetDirectoryName(stub)!);
                await File.WriteAllTextAsync(stub, "#!/bin/sh\n", cancellationToken);
                File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var units = Path.Combine(root, "etc", "systemd", "system");
            Directory.CreateDirectory(units);
            File.Copy(Unit, Path.Combine(units, "sensen-edge.service"));
            var system = Directory.Exists("/usr/lib/systemd/system") ? "/usr/lib/systemd/system" : "/lib/systemd/system";
            CopyDirectory(system, Path.Combine(root, "usr", "lib", "systemd", "system"));

            var (code, stdout, stderr) = await AnalyzeAsync(["verify", $"--root={root}", "/etc/systemd/system/sensen-edge.service"], cancellationToken);

            Assert.That(code, Is.Zero, stdout + stderr);
            Assert.That((stdout + stderr).Trim(), Is.Empty, "verify warns about unknown keys and missing executables without failing");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Unit_RequiredHardening_Present()
    {
        var text = File.ReadAllText(Unit);
        foreach (var line in new[]
        {
            "User=sensen-edge", "StateDirectory=sensen-edge", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
            "NoNewPrivileges=yes", "CapabilityBoundingSet=", "SystemCallFilter=@system-service", "DevicePolicy=closed",
            "MemorySwapMax=0", "Restart=on-failure", "RestartPreventExitStatus=78", "WatchdogSec=60", "Type=notify",
        })
        {
            Assert.That(text.Split('\n'), Has.Member(line));
        }

        Assert.That(text, Does.Match(@"(?m)^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"));
        Assert.That(text, Does.Match(@"(?m)^MemoryMax=\d+[MG]$"));
        Assert.That(text, Does.Match(@"(?m)^LoadCredentialEncrypted=device-key:"));
        Assert.That(text, Does.Not.Match(@"(?m)^LoadCredential="), "secrets are encrypted at rest");
        Assert.That(DeviceAllowLine().Matches(text).Select(m => m.Groups["device"].Value),
            Is.All.Match(@"^(/dev/nvidia|char-nvidia|/dev/nvmap|char-nvhost|char-drm)"), "GPU device nodes only");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> AnalyzeAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["SYSTEMD_COLORS"] = "0";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    [GeneratedRegex(@"Overall exposure level for sensen-edge\.service: (?<level>\d+\.\d)")]
    private static partial Regex ExposureLine();

    [GeneratedRegex(@"(?m)^Exec\w+=[-@:+!]*(?<path>/[^\s]+)")]
    private static partial Regex CommandPath();

    [GeneratedRegex(@"(?m)^DeviceAllow=(?<device>\S+)")]
    private static partial Regex DeviceAllowLine();
}
