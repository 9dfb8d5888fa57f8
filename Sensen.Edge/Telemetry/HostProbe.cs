using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// The host section of telemetry, read from Linux: CPU from /proc/stat (busy share since the last call), memory
/// from /proc/meminfo and the process, free disk under the state directory, temperatures from
/// /sys/class/thermal/thermal_zone*/ and the GPU through <c>nvidia-smi</c> where it is installed. Anything not
/// readable is null, never a guess.
/// </summary>
internal sealed class HostProbe
{
    private static readonly string[] NvidiaSmiPaths = ["/usr/bin/nvidia-smi", "/usr/local/bin/nvidia-smi"];

    private static readonly TimeSpan NvidiaSmiTimeout = TimeSpan.FromSeconds(3);

    private readonly string _thermalRoot;
    private readonly string? _nvidiaSmi;
    private (long Busy, long Total)? _lastCpu;

    public HostProbe(string thermalRoot = "/sys/class/thermal", string? nvidiaSmi = null)
    {
        _thermalRoot = thermalRoot;
        _nvidiaSmi = nvidiaSmi ?? NvidiaSmiPaths.FirstOrDefault(File.Exists);
    }

    public static string Version =>
        typeof(HostProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Busy share of all CPUs since the previous call, 0-100; null on the first call or without /proc/stat.</summary>
    public double? CpuPercent()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            var total = fields.Sum();
            var previous = _lastCpu;
            _lastCpu = (total - idle, total);
            if (previous is not { } p || total <= p.Total)
            {
                return null;
            }

            return Math.Round(100.0 * (total - idle - p.Busy) / (total - p.Total), 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>MemTotal and MemAvailable in bytes, from /proc/meminfo.</summary>
    public static (long? Total, long? Available) Memory()
    {
        try
        {
            long? total = null, available = null;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kib))
                {
                    if (parts[0] == "MemTotal:")
                    {
                        total = kib * 1024;
                    }
                    else if (parts[0] == "MemAvailable:")
                    {
                        available = kib * 1024;
                    }
                }
            }

            return (total, available);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    public static long ProcessMemoryBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    public static double UptimeSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return Math.Round((DateTime.Now - self.StartTime).TotalSeconds, 0);
    }

    /// <summary>
    /// Seconds since the machine booted, the first field of /proc/uptime (proc(5)); null where unreadable. Beside the
    /// daemon's own uptime it tells a power cut (both small) from a daemon restart (only the daemon's small).
    /// </summary>
    public static double? SystemUptimeSeconds(string path = "/proc/uptime")
    {
        try
        {
            var first = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? Math.Round(seconds, 0) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static long? DiskFreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>°C by thermal zone type (<c>cpu-thermal</c>, <c>x86_pkg_temp</c>, …; a repeated type gets <c>_N</c>) and <c>gpu0</c>… from nvidia-smi.</summary>
    public SortedDictionary<string, double> Temperatures()
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        try
        {
            if (Directory.Exists(_thermalRoot))
            {
                foreach (var zone in Directory.GetDirectories(_thermalRoot, "thermal_zone*").Order(StringComparer.Ordinal))
                {
                    try
                    {
                        var type = File.ReadAllText(Path.Combine(zone, "type")).Trim();
                        var milli = long.Parse(File.ReadAllText(Path.Combine(zone, "temp")).Trim(), CultureInfo.InvariantCulture);
                        var name = type.Length == 0 ? Path.GetFileName(zone) : type;
                        var unique = name;
                        for (var n = 1; result.ContainsKey(unique); n++)
                        {
                            unique = $"{name}_{n}";
                        }

                        result[unique] = Math.Round(milli / 1000.0, 1);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
                    {
                        // A zone whose sensor is off reads EINVAL or ENODATA: leave it out.
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No sysfs (a container): no zones.
        }

        foreach (var (index, celsius) in GpuTemperatures())
        {
            result[$"gpu{index}"] = celsius;
        }

        return result;
    }

    private IEnumerable<(int Index, double Celsius)> GpuTemperatures()
    {
        if (_nvidiaSmi is null)
        {
            return [];
        }

        try
        {
            var start = new ProcessStartInfo(_nvidiaSmi) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("--query-gpu=index,temperature.gpu");
            start.ArgumentList.Add("--format=csv,noheader,nounits");
            using var process = Process.Start(start);
            if (process is null)
            {
                return [];
            }

            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(NvidiaSmiTimeout))
            {
                // A wedged driver hangs nvidia-smi: the report goes on without GPU temperatures.
                process.Kill(entireProcessTree: true);
                return [];
            }

            var list = new List<(int, double)>();
            foreach (var line in output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = line.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var i) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var c))
                {
                    list.Add((i, c));
                }
            }

            return list;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return [];
        }
    }
}
