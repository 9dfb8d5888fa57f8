using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Sensen.Edge.Ingest;

/// <summary>
/// ffmpeg as a child process decoding one camera: raw frames of a fixed size on stdout, read
/// straight into the caller's (pooled) buffer; stderr drained concurrently by a background task,
/// redacted, parsed and classified (a full stderr pipe would hang ffmpeg). The pattern Frigate uses
/// for decoding and Jellyfin for transcoding.
/// </summary>
internal sealed class FfmpegFrameSource : IFrameSource
{
    private const int KeptLines = 20;

    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly BlockingFrameReader _reader;
    private readonly FfmpegLogParser _parser = new();
    private readonly UrlRedactor _redactor;
    private readonly Action<FfmpegDiagnostic> _onDiagnostic;
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _linesLock = new();
    private readonly TimeSpan _stopGrace;
    private readonly Task _stderr;
    private int _aborted;
    private bool _sawCorruption;
    private bool _malformed;

    private FfmpegFrameSource(Process process, int frameBytes, UrlRedactor redactor, Action<FfmpegDiagnostic> onDiagnostic, TimeSpan stopGrace)
    {
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
        PipeCapacity.TryEnlarge(_stdout, Math.Min(PipeCapacity.Preferred, Math.Max(frameBytes, 1 << 16)));
        _reader = new BlockingFrameReader(_stdout, "ffmpeg-stdout-" + process.Id);
        FrameBytes = frameBytes;
        _redactor = redactor;
        _onDiagnostic = onDiagnostic;
        _stopGrace = stopGrace;
        _stderr = Task.Run(DrainStderrAsync);
    }

    public int FrameBytes { get; }

    public StreamInfo? Stream => _parser.Stream;

    /// <summary>The process id, for tests that play the part of a crash.</summary>
    internal int ProcessId => _process.Id;

    public static FfmpegFrameSource Start(FrameSourceRequest request, IngestTuning tuning, Action<FfmpegDiagnostic> onDiagnostic)
    {
        if (CameraUrl.IsReservedInvalidHost(request.Url))
        {
            throw new FrameSourceException(DiagnosticKind.UnknownHost, $"host '{request.Url.Host}' cannot resolve: names under .invalid never do (RFC 6761 section 6.4)");
        }

        var start = new ProcessStartInfo(tuning.FfmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in FfmpegArguments.Build(request))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new FrameSourceException(DiagnosticKind.Other, $"ffmpeg ('{tuning.FfmpegPath}') did not start");
        }
        catch (Win32Exception e)
        {
            throw new FrameSourceException(DiagnosticKind.Other, $"cannot run ffmpeg ('{tuning.FfmpegPath}'): {e.Message}; install Debian's ffmpeg package", e);
        }

        var redactor = new UrlRedactor(request.Credential?.Password);
        return new FfmpegFrameSource(process, request.FrameBytes, redactor, onDiagnostic, tuning.StopGrace);
    }

    // Pooled builder: this runs once per frame, and the steady state must not allocate per frame.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReadFrameAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int read;
        // A blocking read cannot be cancelled; killing ffmpeg ends it (end of file). A decoder has
        // nothing to flush, so on cancellation there is no 'q' and no grace period.
        using (cancellationToken.UnsafeRegister(static s => ((FfmpegFrameSource)s!).Abort(), this))
        {
            read = await _reader.ReadAsync(destination);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (read == destination.Length)
        {
            return true;
        }

        if (read == 0 || Volatile.Read(ref _aborted) != 0)
        {
            return false;
        }

        _malformed = true;
        throw new FrameSourceException(DiagnosticKind.MalformedOutput, $"ffmpeg's output ended {read} bytes into a {destination.Length}-byte frame");
    }

    public void Abort()
    {
        Interlocked.Exchange(ref _aborted, 1);
        Kill();
    }

    public async Task<FrameSourceEnd> WaitForEndAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _stderr.WaitAsync(cancellationToken);
        int? exitCode = Volatile.Read(ref _aborted) != 0 ? null : _process.ExitCode;
        var kind = _parser.Fatal;
        if (kind is null && _malformed)
        {
            kind = DiagnosticKind.MalformedOutput;
        }
        else if (kind is null && exitCode is not (0 or null))
        {
            kind = _sawCorruption ? DiagnosticKind.CorruptStream : DiagnosticKind.Other;
        }

        return new FrameSourceEnd(kind, exitCode, LastLines());
    }

    public async ValueTask DisposeAsync()
    {
        if (!HasExited())
        {
            // Ask politely ('q' on stdin, as Jellyfin does), and close our end of the frame pipe so
            // an ffmpeg blocked writing a frame gets EPIPE instead of waiting for us; then kill.
            try
            {
                await _process.StandardInput.WriteAsync('q');
                await _process.StandardInput.FlushAsync();
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It is already going away.
            }

            await _stdout.DisposeAsync();
            using var grace = new CancellationTokenSource(_stopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException) when (grace.IsCancellationRequested)
            {
                Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        await _stderr;
        _reader.Dispose();
        _process.Dispose();
    }

    private IReadOnlyList<string> LastLines()
    {
        lock (_linesLock)
        {
            return [.. _lastLines];
        }
    }

    private async Task DrainStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } raw)
            {
                var line = _redactor.Redact(raw);
                var parsed = FfmpegLogLine.Parse(line);
                if (parsed.IsWarningOrWorse || parsed.Level is "" or "info")
                {
                    lock (_linesLock)
                    {
                        _lastLines.Enqueue(line);
                        if (_lastLines.Count > KeptLines)
                        {
                            _lastLines.Dequeue();
                        }
                    }
                }

                if (_parser.Feed(line) is { } diagnostic)
                {
                    _sawCorruption |= diagnostic.Kind == DiagnosticKind.CorruptStream;
                    _onDiagnostic(diagnostic);
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke because ffmpeg was killed: nothing more to read.
        }
        catch (ObjectDisposedException)
        {
            // Likewise.
        }
    }

    private bool HasExited()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Exiting while we tried; nothing to kill.
        }
    }
}
