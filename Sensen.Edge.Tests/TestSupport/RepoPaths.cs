namespace Sensen.Edge.Tests.TestSupport;

/// <summary>Where the repository, its cache of fetched assets, and the daemon's build output are.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sensen.Edge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    });

    public static string Root => LazyRoot.Value;

    /// <summary>The ignored cache that build.sh fills from npm (<c>.cache/npm/face-api</c>, <c>.cache/npm/ocr-models</c>).</summary>
    public static string Cache => Path.Combine(Root, ".cache");

    public static string Models => Path.Combine(Root, "models");

    public static string ExampleConfig => Path.Combine(Root, "config", "sensen-edge.yaml");

    /// <summary>The daemon's entry assembly as copied beside the tests; run it with <c>dotnet</c>.</summary>
    public static string DaemonDll => Path.Combine(AppContext.BaseDirectory, "sensen-edge.dll");

    /// <summary>This assembly, which doubles as the test-only tools' executable (<see cref="TestToolProgram"/>).</summary>
    public static string TestsDll => Path.Combine(AppContext.BaseDirectory, "Sensen.Edge.Tests.dll");

    /// <summary>Debian's opencv-doc sample data (installed by build.sh).</summary>
    public static string OpenCvSamples => "/usr/share/doc/opencv-doc/examples/data";
}
