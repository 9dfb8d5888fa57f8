using Microsoft.Extensions.Logging;
using Sensen.Edge.Detection;
using Sensen.Edge.Frames;
using Sensen.Edge.Pipeline;

namespace Sensen.Edge.Privacy;

/// <summary>
/// One clip through the clip path. Each frame is analysed when it is pushed (faces on the whole frame and on
/// person crops, head regions, plates on vehicle crops) and held until <see cref="PrivacyOptions.LookAheadFrames"/>
/// frames have followed it; then it is copied and every region found on it, on the
/// <see cref="PrivacyOptions.PersistenceFrames"/> frames before it and on as many after it, is obscured:
/// at its track's position on this frame where the region lies in a tracked person or vehicle, else where
/// it was found. A frame the live path did not analyse, a frame on which a model threw, and a frame whose
/// look-ahead the clip's end cut short are masked whole instead, counted by reason and logged once per
/// reason per clip.
/// </summary>
internal sealed class ClipAnonymisation : IClipAnonymisation
{
    private static readonly IReadOnlySet<ObjectClass> Vehicles = ObjectClasses.Resolve("vehicle")!;

    private readonly ClipSubject _subject;
    private readonly PrivacyOptions _options;
    private readonly ClipModels _models;
    private readonly IReadOnlyDictionary<string, string> _hashes;
    private readonly PrivacyMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IFrameObserver? _observer;

    /// <summary>The index of the first frame pushed only as look-ahead (<see cref="PushLookAhead"/>): it and those after it are never stored.</summary>
    private long _storedBefore = long.MaxValue;
    private readonly Obscurer _obscurer;
    private readonly List<Held> _pending = [];
    private readonly Queue<Held> _history = new();
    private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private readonly List<DetectedObject> _found = new(64);
    private readonly List<(BoxF Box, TrackedBox? Track)> _persons = new(32);
    private readonly List<(BoxF Box, TrackedBox? Track, long? Offender)> _vehicles = new(32);
    private readonly int[] _obscured = new int[3];
    private readonly List<(int X, int Y, int W, int H)> _done = new(64);
    private long _index;
    private int _frames;
    private int _maskedWhole;
    private int _faces;
    private int _plates;
    private bool _completed;
    private bool _disposed;
    private PlateRead? _plate;

    /// <param name="observer">Told of every frame released (the demo's chart); null in the daemon.</param>
    public ClipAnonymisation(ClipSubject subject, PrivacyOptions options, ClipModels models, IReadOnlyDictionary<string, string> hashes, PrivacyMetrics metrics, ILogger logger, IFrameObserver? observer = null)
    {
        _observer = observer;
        _subject = subject;
        _options = options;
        _models = models;
        _hashes = hashes;
        _metrics = metrics;
        _logger = logger;
        _obscurer = new Obscurer(options.Method);
    }

    public AnonymisationSummary Summary => new()
    {
        Frames = _frames,
        FramesMaskedWhole = _maskedWhole,
        MaskedWholeReasons = new Dictionary<string, int>(_reasons, StringComparer.Ordinal),
        FacesObscured = _faces,
        PlatesObscured = _plates,
        Method = MethodName(_options.Method),
        Models = _hashes,
    };

    public PlateRead? Plate => _plate;

    public static string MethodName(ObscureMethod method) => method.ToString().ToLowerInvariant();

    public void PushLookAhead(ClipFrame frame)
    {
        _storedBefore = Math.Min(_storedBefore, _index);
        Push(frame);
    }

    public void Push(ClipFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_disposed || _completed)
        {
            frame.Release();
            throw new InvalidOperationException(_disposed ? "the clip's anonymisation was disposed" : "the clip was completed; no more frames can be pushed");
        }

        var held = new Held(frame, _index++);
        _pending.Add(held);
        if (!frame.Analysed)
        {
            held.Fail(MaskReason.NotAnalysed, "the live path did not analyse it");
            return;
        }

        if (frame.Frame.Format != PixelFormat.Bgr24)
        {
            held.Fail(MaskReason.ModelFailed, $"pixel format {frame.Frame.Format} is not bgr24");
            return;
        }

        try
        {
            Analyse(frame, held.Regions);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Fail closed: whatever the models found before the failure is not trusted to be all there is.
            held.Regions.Clear();
            held.Fail(MaskReason.ModelFailed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    public bool TryTake(out AnonymisedFrame frame)
    {
        frame = null!;
        if (_pending.Count == 0)
        {
            return false;
        }

        var lookAhead = _pending.Count - 1;
        if (lookAhead < _options.LookAheadFrames && !_completed)
        {
            return false;
        }

        var held = _pending[0];
        _pending.RemoveAt(0);
        try
        {
            if (held.Reason is null && lookAhead < _options.LookAheadFrames)
            {
                held.Fail(MaskReason.LookAheadCut, $"the clip ended {lookAhead} frames after it, {_options.LookAheadFrames} are needed");
            }

            var stored = held.Index < _storedBefore;
            frame = held.Reason is null ? Anonymise(held, stored) : Mask(held, stored);
            // A look-ahead frame is dropped by the writer, so the observer is not told of it.
            if (stored && held.Reason is null)
            {
                _observer?.ClipFrame(_subject.CameraId, held.Frame.Sequence, _obscured[(int)RegionKind.Face] + _obscured[(int)RegionKind.Head], _obscured[(int)RegionKind.Plate], maskedWhole: false);
            }
            else if (stored)
            {
                _observer?.ClipFrame(_subject.CameraId, held.Frame.Sequence, 0, 0, maskedWhole: true);
            }
        }
        finally
        {
            held.Frame.Release();
            _history.Enqueue(held);
            while (_history.Count > _options.PersistenceFrames)
            {
                _history.Dequeue();
            }
        }

        _frames++;
        return true;
    }

    public void Complete() => _completed = true;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var held in _pending)
        {
            held.Frame.Release();
        }

        _pending.Clear();
        _history.Clear();
    }

    private AnonymisedFrame Mask(Held held, bool stored)
    {
        var reason = held.Reason!;
        _maskedWhole++;
        _reasons.TryGetValue(reason, out var count);
        _reasons[reason] = count + 1;
        if (!stored)
        {
            // A look-ahead frame past the clip's end lacks its own look-ahead by nature: not an event worth a warning.
            return AnonymisedFrame.MaskedWhole(held.Frame);
        }

        _metrics.FrameMaskedWhole(_subject.CameraId, reason);
        if (count == 0)
        {
            PrivacyLog.FrameMaskedWhole(_logger, _subject.CameraId, held.Frame.Sequence, reason, held.Detail!);
        }

        return AnonymisedFrame.MaskedWhole(held.Frame);
    }

    private AnonymisedFrame Anonymise(Held held, bool stored)
    {
        var source = held.Frame;
        var raw = source.Frame;
        var pixels = new byte[source.Width * source.Height * 3];
        raw.Pixels[..pixels.Length].CopyTo(pixels);
        _obscurer.BeginFrame();
        Array.Clear(_obscured);
        _done.Clear();

        // The frame's own regions, those of the frames before it (history) and those of the frames after it
        // (the look-ahead), each where its track is on this frame.
        ObscureAll(pixels, source, held.Regions);
        foreach (var before in _history)
        {
            if (held.Index - before.Index <= _options.PersistenceFrames)
            {
                ObscureAll(pixels, source, before.Regions);
            }
        }

        foreach (var after in _pending)
        {
            if (after.Index - held.Index > _options.PersistenceFrames)
            {
                break;
            }

            ObscureAll(pixels, source, after.Regions);
        }

        _faces += _obscured[(int)RegionKind.Face] + _obscured[(int)RegionKind.Head];
        _plates += _obscured[(int)RegionKind.Plate];
        for (var k = 0; k < _obscured.Length && stored; k++)
        {
            _metrics.RegionsObscured(_subject.CameraId, (RegionKind)k, _obscured[k]);
        }

        return AnonymisedFrame.Obscured(pixels, source);
    }

    private void ObscureAll(byte[] pixels, ClipFrame frame, List<FoundRegion> regions)
    {
        foreach (var region in regions)
        {
            var box = region.Box;
            if (region.TrackId is { } id && FindTrack(frame, id) is { } track)
            {
                box = region.On(track.Box);
            }

            // The same face found on neighbouring frames, or by the whole-frame and the crop search, lands on
            // one place: a rectangle inside one already obscured on this frame adds nothing and is not counted.
            var (x, y, w, h) = Obscurer.Dilate(box, _options.Dilation, frame.Width, frame.Height);
            if (w == 0 || h == 0 || AlreadyObscured(x, y, w, h))
            {
                continue;
            }

            _obscurer.Obscure(pixels, frame.Width, frame.Height, x, y, w, h);
            _done.Add((x, y, w, h));
            _obscured[(int)region.Kind]++;
        }
    }

    private bool AlreadyObscured(int x, int y, int w, int h)
    {
        foreach (var d in _done)
        {
            if (x >= d.X && y >= d.Y && x + w <= d.X + d.W && y + h <= d.Y + d.H)
            {
                return true;
            }
        }

        return false;
    }

    private static TrackedBox? FindTrack(ClipFrame frame, long id)
    {
        foreach (var t in frame.Tracks)
        {
            if (t.TrackId == id)
            {
                return t;
            }
        }

        return null;
    }

    private void Analyse(ClipFrame clip, List<FoundRegion> regions)
    {
        var frame = clip.Frame;
        CollectObjects(clip, frame);

        // Faces: every face detector on the whole frame and on the upper part of every person, scaled up.
        _found.Clear();
        foreach (var d in clip.Detections)
        {
            if (d.Class == ObjectClass.Face)
            {
                _found.Add(d);
            }
        }

        foreach (var faces in _models.Faces)
        {
            faces.Detect(frame, _found);
            foreach (var (box, _) in _persons)
            {
                faces.Detect(frame, box with { Y2 = box.Y1 + (box.Height * (float)_options.FaceCropHeight) }, _found);
            }
        }

        foreach (var face in _found)
        {
            regions.Add(FoundRegion.Anchored(RegionKind.Face, face.Box, PersonAt(face.Box)));
        }

        if (_options.HeadRegion)
        {
            foreach (var (box, track) in _persons)
            {
                regions.Add(FoundRegion.Anchored(RegionKind.Head, box with { Y2 = box.Y1 + (box.Height * (float)_options.HeadFraction) }, track));
            }
        }

        // Plates: the plate/text detector on every vehicle, and what the live path found; the offenders' stay.
        _found.Clear();
        foreach (var d in clip.Detections)
        {
            if (d.Class is ObjectClass.Plate or ObjectClass.Text)
            {
                _found.Add(d);
            }
        }

        if (_models.Plates is { } plates)
        {
            foreach (var (box, _, _) in _vehicles)
            {
                plates.Detect(frame, box, _found);
            }
        }

        foreach (var plate in _found)
        {
            var owner = VehicleAt(plate.Box);
            if (owner is { Offender: { } offender })
            {
                Read(frame, plate.Box, offender, clip.Sequence);
                continue;
            }

            regions.Add(FoundRegion.Anchored(RegionKind.Plate, plate.Box, owner?.Track));
        }
    }

    /// <summary>Persons and vehicles on the frame: the tracker's boxes, the live path's detections no track covers, and the clip path's person detector.</summary>
    private void CollectObjects(ClipFrame clip, Frame frame)
    {
        _persons.Clear();
        _vehicles.Clear();
        foreach (var t in clip.Tracks)
        {
            if (t.Class == ObjectClass.Person)
            {
                _persons.Add((t.Box, t));
            }
            else if (Vehicles.Contains(t.Class))
            {
                _vehicles.Add((t.Box, t, _subject.Offenders.ContainsKey(t.TrackId) ? t.TrackId : null));
            }
        }

        // An offender's box from the event, on the frames where the rule saw it (before the track's boxes reach the clip).
        foreach (var (id, points) in _subject.Offenders)
        {
            if (FindTrack(clip, id) is not null)
            {
                continue;
            }

            foreach (var p in points)
            {
                if (p.Time.Pts == clip.Time.Pts)
                {
                    _vehicles.Add((p.Box, null, id));
                    break;
                }
            }
        }

        _found.Clear();
        foreach (var d in clip.Detections)
        {
            _found.Add(d);
        }

        _models.Persons?.Detect(frame, _found);
        foreach (var d in _found)
        {
            if (d.Class == ObjectClass.Person && !Covered(_persons, d.Box))
            {
                _persons.Add((d.Box, null));
            }
            else if (Vehicles.Contains(d.Class) && !_vehicles.Exists(v => v.Box.IntersectionOverUnion(d.Box) > 0.5f))
            {
                _vehicles.Add((d.Box, null, null));
            }
        }
    }

    private static bool Covered(List<(BoxF Box, TrackedBox? Track)> boxes, BoxF box) => boxes.Exists(b => b.Box.IntersectionOverUnion(box) > 0.5f);

    /// <summary>The smallest person box holding the centre of <paramref name="box"/> that belongs to a track.</summary>
    private TrackedBox? PersonAt(BoxF box)
    {
        TrackedBox? best = null;
        foreach (var (p, track) in _persons)
        {
            if (track is not null && Contains(p, box) && (best is null || p.Area < best.Value.Box.Area))
            {
                best = track;
            }
        }

        return best;
    }

    /// <summary>The vehicle a plate belongs to: the smallest vehicle box holding its centre (a bystander's plate seen through an offender's box belongs to the bystander).</summary>
    private (BoxF Box, TrackedBox? Track, long? Offender)? VehicleAt(BoxF plate)
    {
        (BoxF Box, TrackedBox? Track, long? Offender)? best = null;
        foreach (var v in _vehicles)
        {
            if (Contains(v.Box, plate) && (best is null || v.Box.Area < best.Value.Box.Area))
            {
                best = v;
            }
        }

        return best;
    }

    private static bool Contains(BoxF outer, BoxF inner)
    {
        var cx = (inner.X1 + inner.X2) / 2;
        var cy = (inner.Y1 + inner.Y2) / 2;
        return cx >= outer.X1 && cx < outer.X2 && cy >= outer.Y1 && cy < outer.Y2;
    }

    private void Read(Frame frame, BoxF plate, long trackId, long sequence)
    {
        if (_models.Recognizer is not { } recognizer)
        {
            return;
        }

        var (text, score) = recognizer.Read(frame, plate);
        if (text.Length > 0 && (_plate is null || score > _plate.Confidence))
        {
            _plate = new PlateRead(trackId, text, score, sequence);
        }
    }

    /// <summary>A frame between its push and its release, with what was found on it.</summary>
    private sealed class Held(ClipFrame frame, long index)
    {
        public ClipFrame Frame { get; } = frame;

        public long Index { get; } = index;

        public List<FoundRegion> Regions { get; } = [];

        public string? Reason { get; private set; }

        public string? Detail { get; private set; }

        public void Fail(string reason, string detail)
        {
            Reason = reason;
            Detail = detail;
        }
    }
}
