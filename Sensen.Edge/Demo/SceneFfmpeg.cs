using System.ComponentModel;
using System.Diagnostics;

namespace Sensen.Edge.Demo;

/// <summary>
/// Runs ffmpeg for the demo (the scene composer, the report's stills): arguments through <see cref="ProcessStartInfo.ArgumentList"/>, stdout and
/// stderr drained concurrently (a full stderr pipe hangs ffmpeg), a non-zero exit as a
/// <see cref="SceneException"/> with ffmpeg's last lines, killed with its tree when cancelled.
/// </summary>
internal static class SceneFfmpeg
{
    private static readonly string[] Common = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"];

    /// <summary>Runs ffmpeg and returns what it wrote to stdout.</summary>
    public static async Task<byte[]> ReadAsync(string ffmpeg, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(ffmpeg, arguments, stdin: false);
        using var output = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Check(process, arguments, errors);
        return output.ToArray();
    }

    /// <summary>Runs ffmpeg with <paramref name="feed"/> writing its stdin (closed afterwards).</summary>
    public static async Task WriteAsync(string ffmpeg, IReadOnlyList<string> arguments, Func<Stream, Task> feed, CancellationToken cancellationToken)
    {
        using var process = Start(ffmpeg, arguments, stdin: true);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await using (var stdin = process.StandardInput.BaseStream)
            {
                await feed(stdin);
            }

            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        catch (IOException e)
        {
            // ffmpeg closed its stdin early: it failed; its own words are the better message.
            await process.WaitForExitAsync(CancellationToken.None);
            await Check(process, arguments, errors);
            throw new SceneException($"ffmpeg stopped reading frames: {e.Message}", e);
        }

        await Check(process, arguments, errors);
    }

    private static Process Start(string ffmpeg, IReadOnlyList<string> arguments, bool stdin)
    {
        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = stdin,
            RedirectStandardOutput = !stdin,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in Common)
        {
            if (!(stdin && a == "-nostdin"))
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            return Process.Start(start) ?? throw new SceneException($"ffmpeg ('{ffmpeg}') did not start");
        }
        catch (Win32Exception e)
        {
            throw new SceneException($"cannot run ffmpeg ('{ffmpeg}'): {e.Message}; install Debian's ffmpeg package", e);
        }
    }

    private static async Task Check(Process process, IReadOnlyList<string> arguments, Task<string> errors)
    {
        var text = await errors;
        if (process.ExitCode != 0)
        {
            var last = string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5));
            throw new SceneException($"ffmpeg {string.Join(' ', arguments.Take(6))} … exited with {process.ExitCode}: {last}");
        }
    }
}
