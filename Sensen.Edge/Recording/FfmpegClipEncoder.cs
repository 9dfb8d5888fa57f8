using System.ComponentModel;
using System.Diagnostics;
using Sensen.Edge.Privacy;

namespace Sensen.Edge.Recording;

/// <summary>
/// One clip's ffmpeg child: <see cref="AnonymisedFrame"/>s (the only frames it accepts) are written to its
/// stdin as raw bgr24, and its stdout (fragmented MP4) is collected in memory. stdout and stderr are drained
/// concurrently from the start (a full pipe would stall ffmpeg); the last stderr lines go into the exception
/// when it fails. Disposing an unfinished encoder kills its process tree. No file is written.
/// </summary>
internal sealed class FfmpegClipEncoder : IAsyncDisposable
{
    private const int KeptStderrLines = 8;

    private readonly Process _process;
    private readonly MemoryStream _output = new();
    private readonly Queue<string> _stderr = new();
    private readonly Task _stdoutTask;
    private readonly Task _stderrTask;
    private readonly byte[] _buffer;
    private bool _finished;

    private FfmpegClipEncoder(Process process, string encoder, int width, int height)
    {
        _process = process;
        Encoder = encoder;
        Width = width;
        Height = height;
        _buffer = new byte[width * height * 3];
        _stdoutTask = _process.StandardOutput.BaseStream.CopyToAsync(_output);
        _stderrTask = DrainStderrAsync();
    }

    public string Encoder { get; }

    public int Width { get; }

    public int Height { get; }

    public int Frames { get; private set; }

    public static FfmpegClipEncoder Start(string ffmpegPath, ClipEncoder encoder, int width, int height, double fps, int quality)
    {
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in ClipEncoderArguments.Build(encoder, width, height, fps, quality))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            var process = Process.Start(start) ?? throw new ClipEncoderException($"ffmpeg ('{ffmpegPath}') did not start");
            return new FfmpegClipEncoder(process, ClipEncoderArguments.Name(encoder), width, height);
        }
        catch (Win32Exception e)
        {
            throw new ClipEncoderException($"cannot run ffmpeg ('{ffmpegPath}'): {e.Message}; install Debian's ffmpeg package", e);
        }
    }

    /// <summary>Writes one frame; it must have the size the encoder was started with.</summary>
    public async Task WriteAsync(AnonymisedFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Width != Width || frame.Height != Height)
        {
            throw new ClipEncoderException($"frame {frame.Sequence} is {frame.Width}x{frame.Height}, the clip is {Width}x{Height}");
        }

        frame.Pixels.CopyTo(_buffer);
        try
        {
            await _process.StandardInput.BaseStream.WriteAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // A broken pipe: ffmpeg has exited. Its stderr says why.
            await Task.WhenAny(_stderrTask, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
            throw new ClipEncoderException($"{Encoder} stopped taking frames after {Frames}", LastLines(), e);
        }

        Frames++;
    }

    /// <summary>Writes one black frame (the encoder probe's test frame: no camera pixels).</summary>
    internal async Task WriteBlankAsync(CancellationToken cancellationToken)
    {
        Array.Clear(_buffer);
        await _process.StandardInput.BaseStream.WriteAsync(_buffer, cancellationToken).ConfigureAwait(false);
        Frames++;
    }

    /// <summary>Ends the input, waits for ffmpeg to finish and returns the MP4 bytes.</summary>
    public async Task<byte[]> FinishAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone: the exit code below says how.
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            await Task.WhenAll(_stdoutTask, _stderrTask).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClipEncoderException($"{Encoder} did not finish within {timeout.TotalSeconds:0} s", LastLines());
        }

        _finished = true;
        if (_process.ExitCode != 0)
        {
            throw new ClipEncoderException($"{Encoder} exited with code {_process.ExitCode}", LastLines());
        }

        if (_output.Length == 0)
        {
            throw new ClipEncoderException($"{Encoder} wrote no output", LastLines());
        }

        return _output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }

            try
            {
                await Task.WhenAll(_stdoutTask, _stderrTask).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException)
            {
                // The pipes of a killed process: nothing left to read.
            }
        }

        _process.Dispose();
        await _output.DisposeAsync().ConfigureAwait(false);
    }

    private IReadOnlyList<string> LastLines()
    {
        lock (_stderr)
        {
            return [.. _stderr];
        }
    }

    private async Task DrainStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_stderr)
            {
                _stderr.Enqueue(line.Length > 300 ? line[..300] : line);
                while (_stderr.Count > KeptStderrLines)
                {
                    _stderr.Dequeue();
                }
            }
        }
    }
}
