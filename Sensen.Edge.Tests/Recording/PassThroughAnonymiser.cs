using Sensen.Edge.Privacy;

namespace Sensen.Edge.Tests.Recording;

/// <summary>
/// A test double at the Recording ↔ Privacy seam: it copies each frame's pixels unchanged (so the encoder's output
/// can be compared with the input), holds a look-ahead of <see cref="LookAhead"/> frames as the real clip path does,
/// and records what it was given. Never proof that anything is anonymised; only that Recording drives the seam right.
/// </summary>
internal sealed class PassThroughAnonymiser : IClipAnonymiser
{
    public int LookAhead { get; init; } = 3;

    public List<ClipSubject> Subjects { get; } = [];

    public List<long> Pushed { get; } = [];

    public int Disposed { get; private set; }

    public IClipAnonymisation Open(ClipSubject subject)
    {
        Subjects.Add(subject);
        return new Run(this);
    }

    private sealed class Run(PassThroughAnonymiser owner) : IClipAnonymisation
    {
        private readonly Queue<ClipFrame> _held = new();
        private readonly Queue<AnonymisedFrame> _ready = new();
        private bool _complete;
        private int _frames;

        public AnonymisationSummary Summary => new()
        {
            Frames = _frames,
            FacesObscured = 2 * _frames,
            PlatesObscured = _frames,
            Method = "test_pass_through",
            Models = new Dictionary<string, string> { ["test-face"] = new string('a', 64) },
        };

        public PlateRead? Plate => new(7, "ABC123", 0.875f, 21);

        public void Push(ClipFrame frame)
        {
            owner.Pushed.Add(frame.Sequence);
            _held.Enqueue(frame);
            while (_held.Count > owner.LookAhead)
            {
                Emit(_held.Dequeue());
            }
        }

        public bool TryTake(out AnonymisedFrame frame) => _ready.TryDequeue(out frame!);

        public void Complete()
        {
            _complete = true;
            while (_held.Count > 0)
            {
                Emit(_held.Dequeue());
            }
        }

        public void Dispose()
        {
            owner.Disposed++;
            while (_held.TryDequeue(out var frame))
            {
                frame.Release();
            }

            _ = _complete;
        }

        private void Emit(ClipFrame frame)
        {
            try
            {
                _ready.Enqueue(AnonymisedFrame.Obscured(frame.Frame.Pixels.ToArray(), frame));
                _frames++;
            }
            finally
            {
                frame.Release();
            }
        }
    }
}
