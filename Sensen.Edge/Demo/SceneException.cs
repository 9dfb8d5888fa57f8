namespace Sensen.Edge.Demo;

/// <summary>The scene could not be composed: a bad spec, a missing photograph, or ffmpeg failed (with its last lines).</summary>
internal sealed class SceneException : Exception
{
    public SceneException(string message)
        : base(message)
    {
    }

    public SceneException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public SceneException()
    {
    }
}
