using System.Runtime.InteropServices;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Detection;

/// <summary>
/// inference.onnxruntime_library: the checks made before ONNX Runtime is pointed at another native library (a Jetson's
/// GPU build), and the clean fall-back to the bundled library when it is absent. Real libraries, real sessions.
/// </summary>
internal sealed class OnnxRuntimeLibraryTests
{
    private static string BundledLibrary =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64", "native", "libonnxruntime.so");

    [Test]
    public void Open_MissingFile_NoSuchFile()
    {
        var (handle, version, reason) = OnnxRuntimeLibrary.Open("/nonexistent/libonnxruntime.so");

        Assert.That(handle, Is.EqualTo(IntPtr.Zero));
        Assert.That(version, Is.Null);
        Assert.That(reason, Is.EqualTo("no such file"));
    }

    [Test]
    public void Open_LibraryThatIsNotOnnxRuntime_Refused()
    {
        // A real shared library of the .NET runtime itself: it loads, but exports no OrtGetApiBase.
        var other = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        Assume.That(File.Exists(other), other);

        var (handle, _, reason) = OnnxRuntimeLibrary.Open(other);

        Assert.That(handle, Is.EqualTo(IntPtr.Zero));
        Assert.That(reason, Is.EqualTo("not an ONNX Runtime library (no OrtGetApiBase)"));
    }

    [Test]
    public void Open_FileThatIsNotALibrary_LoaderRefusal()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sensen-not-a-library-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "not ELF");
        try
        {
            var (handle, _, reason) = OnnxRuntimeLibrary.Open(path);

            Assert.That(handle, Is.EqualTo(IntPtr.Zero));
            Assert.That(reason, Does.StartWith("the dynamic loader refused it"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Open_BundledOnnxRuntime_AcceptedWithItsVersion()
    {
        Assume.That(File.Exists(BundledLibrary), BundledLibrary);

        var (handle, version, reason) = OnnxRuntimeLibrary.Open(BundledLibrary);

        Assert.That(reason, Is.Null);
        Assert.That(handle, Is.Not.EqualTo(IntPtr.Zero));
        Assert.That(version, Does.StartWith(OnnxRuntimeLibrary.ManagedVersion.ToString(2) + "."), "the package's native build matches its managed API");
    }

    [Test]
    public void Create_ConfiguredLibraryAbsent_LogsOnceAndRunsOnBundledCpu()
    {
        var dir = TestModels.NewModelsDirectory();
        try
        {
            TestModels.Write(dir, "a", TestModels.ConstantOutput(32, 32, new float[5 * 2], 1, 5, 2), "format: yolov8\ninput_width: 32\ninput_height: 32\nnum_classes: 1\nclasses: [{ index: 0, class: person }]\n");
            using var logs = new LogCapture();
            var options = new InferenceOptions { Providers = [ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu], IntraOpThreads = 1, OnnxruntimeLibrary = "/opt/jetpack-missing/libonnxruntime.so" };
            var factory = new InferenceSessionFactory(options, dir, logs.CreateLogger("test"));

            using var session = factory.Create(ModelManifestReader.Read(dir, "a"));

            Assert.That(session.Provider, Is.EqualTo(ExecutionProviderKind.Cpu));
            Assert.That(logs.Lines.Where(l => l.Contains("onnxruntime_library", StringComparison.Ordinal)), Is.EqualTo(new[]
            {
                "Warning test: inference.onnxruntime_library /opt/jetpack-missing/libonnxruntime.so is not used: no such file; the bundled ONNX Runtime runs instead (CPU only on arm64)",
            }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
