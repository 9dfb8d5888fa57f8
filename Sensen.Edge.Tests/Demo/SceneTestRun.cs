using Sensen.Edge.Tests.Demo;

namespace Sensen.Edge.Tests;

/// <summary>Deletes the composed scenes once every test of the assembly ran (the tracking and rules tests share them).</summary>
[SetUpFixture]
public sealed class SceneTestRun
{
    [OneTimeTearDown]
    public void DeleteScenes() => TestScenes.DeleteAll();
}
