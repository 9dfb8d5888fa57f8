using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>Deletes the clips the ingest tests generated, once they all ran.</summary>
[SetUpFixture]
public sealed class IngestTestRun
{
    [OneTimeTearDown]
    public void DeleteClips() => TestClips.DeleteAll();
}
