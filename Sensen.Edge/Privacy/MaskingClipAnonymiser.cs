namespace Sensen.Edge.Privacy;

/// <summary>
/// The fail-closed floor of the clip path: it masks every frame whole, so nothing of a clip's pixels is kept.
/// Recording uses it only where no real anonymiser can run; the clip path's own implementation replaces it.
/// </summary>
internal sealed class MaskingClipAnonymiser : IClipAnonymiser
{
    public IClipAnonymisation Open(ClipSubject subject) => new Masking();

    private sealed class Masking : IClipAnonymisation
    {
        private readonly Queue<AnonymisedFrame> _ready = new();
        private int _frames;

        public AnonymisationSummary Summary => new()
        {
            Frames = _frames,
            FramesMaskedWhole = _frames,
            MaskedWholeReasons = new Dictionary<string, int> { ["no_anonymiser"] = _frames },
            Method = "mask_whole",
        };

        public PlateRead? Plate => null;

        public void Push(ClipFrame frame)
        {
            try
            {
                _ready.Enqueue(AnonymisedFrame.MaskedWhole(frame));
                _frames++;
            }
            finally
            {
                frame.Release();
            }
        }

        public bool TryTake(out AnonymisedFrame frame) => _ready.TryDequeue(out frame!);

        public void Complete()
        {
        }

        public void Dispose() => _ready.Clear();
    }
}
