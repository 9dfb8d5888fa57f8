namespace Sensen.Edge.Recording;

/// <summary>The clip encoder failed: it did not start, exited non-zero, or stopped taking frames. Carries ffmpeg's last stderr lines.</summary>
internal sealed class ClipEncoderException : Exception
{
    public ClipEncoderException(string message, IReadOnlyList<string> lastLines, Exception? inner = null)
        : base(lastLines.Count == 0 ? message : $"{message}: {string.Join(" | ", lastLines)}", inner)
    {
        LastLines = lastLines;
    }

    public ClipEncoderException()
        : this("the clip encoder failed", [])
    {
    }

    public ClipEncoderException(string message)
        : this(message, [])
    {
    }

    public ClipEncoderException(string message, Exception inner)
        : this(message, [], inner)
    {
    }

    public IReadOnlyList<string> LastLines { get; }
}
