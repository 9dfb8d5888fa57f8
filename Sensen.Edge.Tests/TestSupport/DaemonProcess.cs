using System.Diagnostics;
using System.Text;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>
/// The real daemon (<c>dotnet sensen-edge.dll …</c>) as a child process, with stdout and stderr captured
/// concurrently, for tests that judge what a user or systemd would see: exit codes, messages, signals.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static DaemonProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepoPaths.DaemonDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The test runner may itself run under systemd; the child must only see what the test gives it.
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("JOURNAL_STREAM");
        info.Environment.Remove("CREDENTIALS_DIRECTORY");
        // No diagnostics IPC: a SIGKILLed runtime would leave its clr-debug-pipe files in /tmp.
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => Append(daemon._stdout, daemon._stdoutDone, e.Data);
        process.ErrorDataReceived += (_, e) => Append(daemon._stderr, daemon._stderrDone, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Runs to completion and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var daemon = Start(arguments, environment, workingDirectory);
        var code = await daemon.WaitForExitAsync(cancellationToken);
        return (code, daemon.StandardOutput, daemon.StandardError);
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(_stdoutDone.Task, _stderrDone.Task).WaitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public void Signal(int signal) => Posix.Signal(_process.Id, signal);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, TaskCompletionSource done, string? line)
    {
        if (line is null)
        {
            done.TrySetResult();
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
