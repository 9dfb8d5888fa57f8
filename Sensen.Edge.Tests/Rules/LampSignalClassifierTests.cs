using System.Globalization;
using Sensen.Edge.Frames;
using Sensen.Edge.Rules;

namespace Sensen.Edge.Tests.Rules;

public sealed class LampSignalClassifierTests
{
    private const int Width = 64;
    private const int Height = 48;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-30T08:00:00Z", CultureInfo.InvariantCulture);

    // The lamp occupies x 0.25..0.5, y 0.25..0.5 of a 64×48 BGR frame.
    private static LampSignalClassifier Lamp() => new([new(0.25, 0.25), new(0.5, 0.25), new(0.5, 0.5), new(0.25, 0.5)]);

    private static byte[] Frame(byte r, byte g, byte b)
    {
        var pixels = new byte[Width * Height * 3];
        for (var i = 0; i < Width * Height; i++)
        {
            // Dark grey housing everywhere; the lamp region gets the colour.
            var x = i % Width;
            var y = i / Width;
            var inLamp = x >= 16 && x < 32 && y >= 12 && y < 24;
            pixels[(i * 3) + 0] = inLamp ? b : (byte)40;
            pixels[(i * 3) + 1] = inLamp ? g : (byte)40;
            pixels[(i * 3) + 2] = inLamp ? r : (byte)40;
        }

        return pixels;
    }

    [TestCase(230, 30, 40, true, TestName = "IsLitRed_BrightRed_True")]
    [TestCase(255, 190, 0, false, TestName = "IsLitRed_Amber_False")]
    [TestCase(40, 220, 60, false, TestName = "IsLitRed_Green_False")]
    [TestCase(90, 20, 20, false, TestName = "IsLitRed_UnlitRedLens_False")]
    [TestCase(240, 200, 200, false, TestName = "IsLitRed_WashedOutPink_False")]
    public void IsLitRed_Colour(int r, int g, int b, bool expected) =>
        Assert.That(LampSignalClassifier.IsLitRed((byte)r, (byte)g, (byte)b), Is.EqualTo(expected));

    [Test]
    public void Observe_LampTurnsRed_RedAfterMinimumDurationSinceFirstLitFrame()
    {
        var lamp = Lamp();
        var dark = Frame(70, 25, 25);
        var red = Frame(235, 35, 30);
        for (var f = 0; f < 10; f++)
        {
            lamp.Observe(dark, Width, Height, PixelFormat.Bgr24, Start.AddMilliseconds(f * 100));
        }

        Assert.That(lamp.Read(Start).Phase, Is.EqualTo(SignalPhase.NotRed));
        lamp.Observe(red, Width, Height, PixelFormat.Bgr24, Start.AddMilliseconds(1000));
        Assert.That(lamp.Read(Start).Phase, Is.EqualTo(SignalPhase.NotRed), "one lit frame is not yet a phase");
        lamp.Observe(red, Width, Height, PixelFormat.Bgr24, Start.AddMilliseconds(1100));
        lamp.Observe(red, Width, Height, PixelFormat.Bgr24, Start.AddMilliseconds(1200));
        var reading = lamp.Read(Start);
        Assert.That(reading.Phase, Is.EqualTo(SignalPhase.Red));
        Assert.That(reading.Since, Is.EqualTo(Start.AddMilliseconds(1000)));
    }

    [Test]
    public void Observe_FlickeringLed_StaysRedThenEndsAfterHold()
    {
        var lamp = Lamp();
        var dark = Frame(70, 25, 25);
        var red = Frame(235, 35, 30);
        var random = new Random(9);

        // 10 s of red as a PWM-driven LED looks at 10 fps: a third of the frames catch it dark, never more than 3 in a row.
        var darkRun = 0;
        var changes = 0;
        var last = SignalPhase.Unknown;
        for (var f = 0; f < 100; f++)
        {
            var lit = darkRun >= 3 || random.NextDouble() > 0.33;
            darkRun = lit ? 0 : darkRun + 1;
            lamp.Observe(lit ? red : dark, Width, Height, PixelFormat.Bgr24, Start.AddMilliseconds(f * 100));
            var phase = lamp.Read(Start).Phase;
            changes += phase != last ? 1 : 0;
            last = phase;
        }

        Assert.That(last, Is.EqualTo(SignalPhase.Red));
        Assert.That(changes, Is.EqualTo(1), "unknown → red once, never back through not-red");
        for (var f = 100; f < 106; f++)
        {
            lamp.Observe(dark, Width, Height, PixelFormat.Bgr24, Start.AddMilliseconds(f * 100));
        }

        Assert.That(lamp.Read(Start).Phase, Is.EqualTo(SignalPhase.NotRed));
    }

    [Test]
    public void Observe_GreyFrames_Unknown()
    {
        var lamp = Lamp();
        lamp.Observe(new byte[Width * Height], Width, Height, PixelFormat.Gray8, Start);
        Assert.That(lamp.Read(Start).Phase, Is.EqualTo(SignalPhase.Unknown));
    }
}
