namespace Sensen.Edge.Demo;

/// <summary>
/// Where the demo's inputs are: the repository that <c>./build.sh</c> filled, with the face-api photographs in its
/// ignored cache and the converted models in <c>models/</c>. The published executable sits in <c>out/</c> of that
/// repository, so the repository is found above it (or above the current directory), as the tests' RepoPaths does.
/// </summary>
internal static class DemoAssets
{
    /// <summary>The face-api npm package's sample photographs, relative to the repository.</summary>
    public static readonly string FaceApiDemo = Path.Combine(".cache", "npm", "face-api", "demo");

    /// <summary><paramref name="given"/> when it holds the photographs; else the first directory above the executable, then above the current directory, that does; else null.</summary>
    public static string? Find(string? given)
    {
        if (given is not null)
        {
            return Holds(given) ? Path.GetFullPath(given) : null;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Holds(dir.FullName))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static bool Holds(string directory) => File.Exists(Path.Combine(directory, FaceApiDemo, SceneScript.PeoplePhoto));
}
