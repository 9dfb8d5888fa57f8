using Microsoft.Extensions.Logging;
using Sensen.Edge.Privacy;
using Sensen.Edge.Tracking;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Recording;

/// <summary>
/// The clip path of one clip, off the live path: reads the clip's queue in order, opens one anonymisation for it
/// (<see cref="IClipAnonymiser.Open"/>, with every offender of every merged event), pushes each raw frame in, and
/// feeds only the <see cref="AnonymisedFrame"/>s it gives back to the encoder; when the clip closes, completes the
/// anonymisation, finishes the encode in memory and seals the MP4 with its manifest into the vault. A failure
/// (encoder, vault) is logged and counted and ends this clip only; every raw frame is released either way.
/// </summary>
internal sealed partial class ClipWriter
{
    private readonly IClipAnonymiser _anonymiser;
    private readonly Func<EvidenceMetadata, Stream, CancellationToken, Task<string>> _seal;
    private readonly ClipWriterSettings _settings;
    private readonly RecordingMetrics _metrics;
    private readonly ILogger _logger;

    public ClipWriter(IClipAnonymiser anonymiser, Func<EvidenceMetadata, Stream, CancellationToken, Task<string>> seal, ClipWriterSettings settings, RecordingMetrics metrics, ILogger logger)
    {
        _anonymiser = anonymiser;
        _seal = seal;
        _settings = settings;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Records one clip to its end. Never throws but for cancellation of <paramref name="cancellationToken"/>.</summary>
    public async Task<ClipOutcome> RunAsync(ClipRecording clip, double fps, CancellationToken cancellationToken)
    {
        var offenders = new Dictionary<long, IReadOnlyList<TrackPoint>>();
        var stats = new ClipStatistics(fps);
        IClipAnonymisation? anonymisation = null;
        FfmpegClipEncoder? encoder = null;
        var outcome = ClipOutcome.Failed;
        var frames = 0;
        var cursor = new EncodeCursor();
        try
        {
            await foreach (var input in clip.Inputs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (input.Event is { } violation)
                {
                    // The subject grows as events merge, between pushes: the anonymiser sees an offender from then on
                    // (earlier frames keep that plate obscured, which errs on the side of privacy).
                    offenders[violation.TrackId] = offenders.TryGetValue(violation.TrackId, out var known) ? [.. known, .. violation.Boxes] : violation.Boxes;
                    anonymisation ??= _anonymiser.Open(new ClipSubject(clip.CameraId, offenders));
                    continue;
                }

                var frame = input.Frame!;
                if (anonymisation is null)
                {
                    frame.Release();
                    continue;
                }

                if (input.LookAheadOnly)
                {
                    cursor.LookAhead++;
                    anonymisation.PushLookAhead(frame);
                }
                else
                {
                    stats.Observe(frame, offenders);
                    cursor.Recordable++;
                    anonymisation.Push(frame);
                }

                encoder = await DrainAsync(anonymisation, encoder, cursor, fps, cancellationToken).ConfigureAwait(false);
            }

            if (anonymisation is null)
            {
                outcome = ClipOutcome.Abandoned;
                return outcome;
            }

            anonymisation.Complete();
            encoder = await DrainAsync(anonymisation, encoder, cursor, fps, cancellationToken).ConfigureAwait(false);
            if (encoder is null || encoder.Frames == 0)
            {
                LogAbandoned(clip.CameraId, clip.Number, clip.Events[0].RuleId);
                outcome = ClipOutcome.Abandoned;
                return outcome;
            }

            var mp4 = await encoder.FinishAsync(_settings.FinishTimeout, cancellationToken).ConfigureAwait(false);
            frames = encoder.Frames;
            var video = new ManifestVideo { Encoder = encoder.Encoder, Width = encoder.Width, Height = encoder.Height, Frames = frames, FrameRateMillihertz = (int)Math.Round(fps * 1000) };
            var metadata = ClipEvidence.Metadata(clip, stats, cursor.WithoutLookAhead(anonymisation.Summary), anonymisation.Plate, video, _settings.Clock(), _settings.ConfigSha256, _settings.LiveModels());
            using var stream = new MemoryStream(mp4, writable: false);
            var id = await _seal(metadata, stream, cancellationToken).ConfigureAwait(false);
            outcome = ClipOutcome.Sealed;
            LogSealed(clip.CameraId, clip.Number, id, clip.Events.Count, string.Join(",", clip.Events.Select(e => e.RuleId).Distinct()), frames, mp4.Length, encoder.Encoder, clip.PostRollCut);
            return outcome;
        }
        catch (ClipEncoderException e)
        {
            LogEncoderFailed(clip.CameraId, clip.Number, e.Message);
            return outcome = ClipOutcome.Failed;
        }
        catch (VaultException e)
        {
            LogVaultRefused(clip.CameraId, clip.Number, e.Kind, e.Message);
            return outcome = ClipOutcome.Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug in the clip path must not take the daemon down with the live path: this clip is lost, loudly.
            LogClipFailed(e, clip.CameraId, clip.Number);
            return outcome = ClipOutcome.Failed;
        }
        finally
        {
            anonymisation?.Dispose();
            if (encoder is not null)
            {
                await encoder.DisposeAsync().ConfigureAwait(false);
            }

            _metrics.Clip(clip.CameraId, outcome, frames);
            if (clip.CutByClipMemory)
            {
                _metrics.ClipFramesLost(clip.CameraId, clip.LostToClipMemory);
                LogCutByClipMemory(clip.CameraId, clip.Number, clip.LostToClipMemory, RecordingMetrics.Name(outcome));
            }

            // A clip that failed early is still open on the live path, which goes on queueing its frames until the
            // window ends (or the daemon stops): release each as it comes, so none is left holding a pool buffer.
            await ReleaseTheRestAsync(clip).ConfigureAwait(false);
        }
    }

    private static async Task ReleaseTheRestAsync(ClipRecording clip)
    {
        await foreach (var left in clip.Inputs.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            left.Frame?.Release();
        }
    }

    private async Task<FfmpegClipEncoder?> DrainAsync(IClipAnonymisation anonymisation, FfmpegClipEncoder? encoder, EncodeCursor cursor, double fps, CancellationToken cancellationToken)
    {
        while (anonymisation.TryTake(out var frame))
        {
            // Frames come out in the order they went in, and the look-ahead frames went in last: the first
            // Recordable frames taken are the clip's, the rest were there for the anonymiser only.
            if (cursor.Taken++ >= cursor.Recordable)
            {
                cursor.LookAheadMaskedWhole += frame.IsMaskedWhole ? 1 : 0;
                continue;
            }

            encoder ??= FfmpegClipEncoder.Start(_settings.FfmpegPath, await _settings.Encoder.ConfigureAwait(false), frame.Width, frame.Height, fps, _settings.Quality);
            await encoder.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }

        return encoder;
    }

    /// <summary>
    /// Counts frames in and out of one clip's anonymisation, so the look-ahead frames after the window (pushed only
    /// so the last recorded frames have their look-ahead) are told from the clip's own, and left out of its summary.
    /// </summary>
    private sealed class EncodeCursor
    {
        public int Recordable { get; set; }

        public int LookAhead { get; set; }

        public int Taken { get; set; }

        public int LookAheadMaskedWhole { get; set; }

        /// <summary>The summary of the recorded frames: the look-ahead frames' whole masks (their own look-ahead was cut) are not the clip's.</summary>
        public AnonymisationSummary WithoutLookAhead(AnonymisationSummary summary)
        {
            var dropped = Math.Min(LookAhead, summary.Frames);
            if (dropped == 0)
            {
                return summary;
            }

            var masked = Math.Min(LookAheadMaskedWhole, summary.FramesMaskedWhole);
            var reasons = new Dictionary<string, int>(summary.MaskedWholeReasons, StringComparer.Ordinal);
            var left = masked;
            foreach (var reason in summary.MaskedWholeReasons.Keys.OrderBy(r => r == MaskReason.LookAheadCut ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal))
            {
                if (left == 0 || !reasons.TryGetValue(reason, out var count))
                {
                    continue;
                }

                var take = Math.Min(left, count);
                left -= take;
                if (count == take)
                {
                    reasons.Remove(reason);
                }
                else
                {
                    reasons[reason] = count - take;
                }
            }

            return summary with { Frames = summary.Frames - dropped, FramesMaskedWhole = summary.FramesMaskedWhole - masked, MaskedWholeReasons = reasons };
        }
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Clip {Number} of camera {Camera} sealed as {EvidenceId}: {Events} event(s) ({Rules}), {Frames} frames, {Bytes} bytes {Encoder}; post-roll cut short: {PostRollCut}")]
    private partial void LogSealed(string camera, long number, string evidenceId, int events, string rules, int frames, int bytes, string encoder, bool postRollCut);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Warning, Message = "Clip {Number} of camera {Camera} was cut: the camera's clip memory (recording.clip_memory_megabytes_per_camera) was full, so {Lost} frame(s) of its window were not recorded and the live path lost none; the clip was {Outcome} with the frames it had")]
    private partial void LogCutByClipMemory(string camera, long number, long lost, string outcome);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Clip {Number} of camera {Camera} (rule {Rule}) was abandoned: no frame passed the anonymiser")]
    private partial void LogAbandoned(string camera, long number, string rule);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error, Message = "ALARM clip {Number} of camera {Camera} was not recorded: the encoder failed: {Reason}")]
    private partial void LogEncoderFailed(string camera, long number, string reason);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Error, Message = "ALARM clip {Number} of camera {Camera} was not recorded: the vault refused it ({Kind}): {Reason}")]
    private partial void LogVaultRefused(string camera, long number, VaultErrorKind kind, string reason);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Error, Message = "ALARM clip {Number} of camera {Camera} was not recorded: the clip path failed")]
    private partial void LogClipFailed(Exception exception, string camera, long number);
}
