using Microsoft.Extensions.Logging;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Privacy;

/// <summary>
/// The clip path (docs/PRIVACY.md): one <see cref="ClipAnonymisation"/> per clip, running the clip path's
/// models on every frame, obscuring every face, every person's head region and every plate but the
/// offenders', both ways in time, and masking whole every frame it cannot anonymise. The models are shared
/// (their calls are serialised); each clip has its own look-ahead, history and noise.
/// </summary>
internal sealed class ClipAnonymiser : IClipAnonymiser, IDisposable
{
    private readonly PrivacyOptions _options;
    private readonly ClipModels _models;
    private readonly PrivacyMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, string> _hashes;
    private readonly IFrameObserver? _observer;

    /// <param name="observer">Told of every clip frame released (the demo's chart); null in the daemon.</param>
    public ClipAnonymiser(PrivacyOptions options, ClipModels models, PrivacyMetrics metrics, ILogger logger, IFrameObserver? observer = null)
    {
        _observer = observer;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Faces.Count == 0)
        {
            throw new ArgumentException("the clip path needs a face detector", nameof(models));
        }

        _options = options;
        _models = models;
        _metrics = metrics;
        _logger = logger;
        _hashes = models.Hashes();
    }

    public PrivacyOptions Options => _options;

    public ClipModels Models => _models;

    public IClipAnonymisation Open(ClipSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return new ClipAnonymisation(subject, _options, _models, _hashes, _metrics, _logger, _observer);
    }

    /// <summary>
    /// One frame on its own through the same path (the preview's picture): no frames before or after it, so
    /// no look-ahead is waited for. Takes ownership of <paramref name="frame"/>; the result may be masked whole.
    /// </summary>
    public AnonymisedFrame AnonymiseStill(ClipFrame frame, ClipSubject subject)
    {
        using var still = new ClipAnonymisation(subject, _options with { LookAheadFrames = 0, PersistenceFrames = 0 }, _models, _hashes, _metrics, _logger);
        still.Push(frame);
        still.Complete();
        return still.TryTake(out var anonymised) ? anonymised : throw new InvalidOperationException("the still frame was not anonymised");
    }

    /// <summary>Disposes the recogniser's own session; the detectors belong to the <c>DetectorSet</c>.</summary>
    public void Dispose() => _models.Recognizer?.Dispose();
}
