using Sensen.Edge.Frames;

namespace Sensen.Edge.Rules;

/// <summary>
/// Reads the red lamp's state from its region of the frame. Each pixel is converted to HSV (Smith, "Color
/// gamut transform pairs", SIGGRAPH 1978) and counts as lit red when its hue is within ±20° of red and it
/// is saturated and bright. The share of lit pixels has hysteresis (on above <see cref="OnShare"/>, off
/// below <see cref="OffShare"/>), and the phase has minimum durations: red is declared after lit evidence
/// for <see cref="MinOn"/>, and left only after the lamp has been dark for <see cref="Hold"/>. An LED
/// lamp driven by PWM beats with the camera's shutter and looks dark on some frames; dark gaps shorter than
/// <see cref="Hold"/> do not end the red phase, and the phase's start stays the first lit frame.
/// </summary>
internal sealed class LampSignalClassifier : ISignalPhaseSource
{
    private readonly IReadOnlyList<NormalizedPoint> _polygon;
    private int[] _mask = [];
    private int _maskWidth;
    private int _maskHeight;
    private bool _rawLit;
    private bool _seen;
    private DateTimeOffset _firstSeen;
    private DateTimeOffset _runStart;
    private DateTimeOffset _lastLit = DateTimeOffset.MinValue;
    private SignalReading _reading;

    public LampSignalClassifier(IReadOnlyList<NormalizedPoint> polygon) => _polygon = polygon;

    public float OnShare { get; init; } = 0.25f;

    public float OffShare { get; init; } = 0.10f;

    public TimeSpan MinOn { get; init; } = TimeSpan.FromSeconds(0.2);

    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Share of the region's pixels that were lit red on the latest frame (for preview and diagnostics).</summary>
    public float LastShare { get; private set; }

    public SignalReading Read(DateTimeOffset now) => _reading;

    /// <summary>Classifies one frame. Frames without colour (grey) leave the phase unknown.</summary>
    public void Observe(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format, DateTimeOffset time)
    {
        if (format != PixelFormat.Bgr24)
        {
            _reading = new SignalReading(SignalPhase.Unknown, time);
            return;
        }

        if (width != _maskWidth || height != _maskHeight)
        {
            _mask = BuildMask(width, height);
            _maskWidth = width;
            _maskHeight = height;
        }

        var lit = 0;
        foreach (var index in _mask)
        {
            var o = index * 3;
            if (IsLitRed(pixels[o + 2], pixels[o + 1], pixels[o]))
            {
                lit++;
            }
        }

        LastShare = _mask.Length == 0 ? 0 : (float)lit / _mask.Length;
        _rawLit = _rawLit ? LastShare > OffShare : LastShare >= OnShare;
        Advance(_rawLit, time);
    }

    /// <summary>Hue within ±20° of red, saturation ≥ 0.45, value ≥ 0.45 (integer form of the HSV cone).</summary>
    internal static bool IsLitRed(byte r, byte g, byte b)
    {
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        if (max != r || max < 115 || (max - min) * 100 < 45 * max)
        {
            return false;
        }

        // Hue = 60° × (g − b) / (max − min) when red is the maximum: |hue| ≤ 20° ⇔ 3·|g − b| ≤ max − min.
        return 3 * Math.Abs(g - b) <= max - min;
    }

    private void Advance(bool lit, DateTimeOffset time)
    {
        if (!_seen)
        {
            _seen = true;
            _firstSeen = time;
        }

        if (lit)
        {
            if (time - _lastLit > Hold)
            {
                _runStart = time;
            }

            _lastLit = time;
            if (_reading.Phase != SignalPhase.Red && time - _runStart >= MinOn)
            {
                _reading = new SignalReading(SignalPhase.Red, _runStart);
            }

            return;
        }

        var darkSince = _lastLit == DateTimeOffset.MinValue ? _firstSeen : _lastLit;
        if (_reading.Phase != SignalPhase.NotRed && time - darkSince >= Hold)
        {
            _reading = new SignalReading(SignalPhase.NotRed, darkSince);
        }
    }

    private int[] BuildMask(int width, int height)
    {
        var inside = new List<int>();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (PolygonGeometry.Contains(_polygon, new NormalizedPoint((x + 0.5) / width, (y + 0.5) / height)))
                {
                    inside.Add((y * width) + x);
                }
            }
        }

        return [.. inside];
    }
}
