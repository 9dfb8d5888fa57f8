namespace Sensen.Edge.Detection;

/// <summary>
/// How a frame was placed in the model input: input = frame * scale + pad, per axis. Decoders produce boxes
/// in input pixels; <see cref="ToFrame"/> maps them back and clips them to the frame.
/// </summary>
internal readonly record struct LetterboxTransform(float ScaleX, float ScaleY, float PadX, float PadY, int FrameWidth, int FrameHeight, int InputWidth, int InputHeight)
{
    /// <summary>The region of the input that holds picture (the rest is padding).</summary>
    public int ContentWidth => (int)MathF.Round(FrameWidth * ScaleX);

    public int ContentHeight => (int)MathF.Round(FrameHeight * ScaleY);

    public static LetterboxTransform Create(int frameWidth, int frameHeight, int inputWidth, int inputHeight, ResizeMode mode, PadAlign align)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameHeight);
        if (mode == ResizeMode.Stretch)
        {
            return new((float)inputWidth / frameWidth, (float)inputHeight / frameHeight, 0, 0, frameWidth, frameHeight, inputWidth, inputHeight);
        }

        if (mode == ResizeMode.FitHeight)
        {
            var scaleY = (float)inputHeight / frameHeight;
            var scaleX = Math.Min(scaleY, (float)inputWidth / frameWidth);
            return new(scaleX, scaleY, 0, 0, frameWidth, frameHeight, inputWidth, inputHeight);
        }

        var scale = Math.Min((float)inputWidth / frameWidth, (float)inputHeight / frameHeight);
        var contentWidth = (int)MathF.Round(frameWidth * scale);
        var contentHeight = (int)MathF.Round(frameHeight * scale);
        float padX = 0, padY = 0;
        if (align == PadAlign.Center)
        {
            // Ultralytics' LetterBox: half the padding left/top, rounded down.
            padX = (inputWidth - contentWidth) / 2;
            padY = (inputHeight - contentHeight) / 2;
        }

        return new(scale, scale, padX, padY, frameWidth, frameHeight, inputWidth, inputHeight);
    }

    public BoxF ToFrame(BoxF input) =>
        new BoxF(
            (input.X1 - PadX) / ScaleX,
            (input.Y1 - PadY) / ScaleY,
            (input.X2 - PadX) / ScaleX,
            (input.Y2 - PadY) / ScaleY).Clip(FrameWidth, FrameHeight);

    public BoxF ToInput(BoxF frame) =>
        new(frame.X1 * ScaleX + PadX, frame.Y1 * ScaleY + PadY, frame.X2 * ScaleX + PadX, frame.Y2 * ScaleY + PadY);
}
