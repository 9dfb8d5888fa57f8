using System.Diagnostics;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>
/// The host section's sources: sysfs thermal zones laid out as the kernel does (one directory per zone, <c>type</c> and
/// <c>temp</c> in millidegrees), <c>nvidia-smi</c> at its seam (a script printing what its
/// <c>--format=csv,noheader,nounits</c> prints), and this machine's /proc.
/// </summary>
[TestFixture]
internal sealed class HostProbeTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("sensen-host-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Temperatures_ZonesAndGpus_RepeatedTypesNumberedUnreadableLeftOut()
    {
        Zone(0, "x86_pkg_temp", "45000");
        Zone(1, "acpitz", "30500");
        Zone(2, "acpitz", "31000");
        Zone(3, "iwlwifi_1", "not a number"); // a sensor that is off reads an error
        var smi = Script("nvidia-smi", "#!/bin/sh\nprintf '0, 55\\n1, [N/A]\\n2, 61\\n'\n");

        var temperatures = new HostProbe(Path.Combine(_dir, "thermal"), smi).Temperatures();

        Assert.That(temperatures, Is.EqualTo(new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["acpitz"] = 30.5,
            ["acpitz_1"] = 31.0,
            ["gpu0"] = 55,
            ["gpu2"] = 61,
            ["x86_pkg_temp"] = 45.0,
        }));
    }

    [Test]
    [CancelAfter(20_000)]
    public void Temperatures_NvidiaSmiHangs_KilledAndTheZonesStillReported()
    {
        Zone(0, "cpu-thermal", "61200");
        var smi = Script("nvidia-smi", "#!/bin/sh\nexec sleep 60\n");
        var clock = Stopwatch.StartNew();

        var temperatures = new HostProbe(Path.Combine(_dir, "thermal"), smi).Temperatures();

        Assert.That(temperatures.Keys, Is.EqualTo(new[] { "cpu-thermal" }));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "nvidia-smi gets 3 s, not its 60");
    }

    [Test]
    public void Host_ThisMachine_ReadsProcAndUptimes()
    {
        var (total, available) = HostProbe.Memory();
        var probe = new HostProbe(Path.Combine(_dir, "none"), "/nonexistent/nvidia-smi");

        Assert.That(total, Is.GreaterThan(0));
        Assert.That(available, Is.GreaterThan(0).And.LessThanOrEqualTo(total!.Value));
        Assert.That(HostProbe.ProcessMemoryBytes(), Is.GreaterThan(0));
        Assert.That(HostProbe.SystemUptimeSeconds(), Is.GreaterThanOrEqualTo(HostProbe.UptimeSeconds()), "the machine booted before this process started");
        Assert.That(HostProbe.DiskFreeBytes(_dir), Is.GreaterThan(0));
        Assert.That(probe.CpuPercent(), Is.Null, "no share without a previous reading");
        Assert.That(probe.CpuPercent() ?? 0, Is.InRange(0.0, 100.0));
        Assert.That(probe.Temperatures(), Is.Empty, "no zones, no nvidia-smi: nothing made up");
    }

    [Test]
    public void SystemUptimeSeconds_UnreadableOrGarbled_Null()
    {
        var garbled = Path.Combine(_dir, "uptime");
        File.WriteAllText(garbled, "soon\n");

        Assert.That(HostProbe.SystemUptimeSeconds(Path.Combine(_dir, "missing")), Is.Null);
        Assert.That(HostProbe.SystemUptimeSeconds(garbled), Is.Null);
    }

    private void Zone(int index, string type, string milliCelsius)
    {
        var zone = Directory.CreateDirectory(Path.Combine(_dir, "thermal", $"thermal_zone{index}")).FullName;
        File.WriteAllText(Path.Combine(zone, "type"), type + "\n");
        File.WriteAllText(Path.Combine(zone, "temp"), milliCelsius + "\n");
    }

    private string Script(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
