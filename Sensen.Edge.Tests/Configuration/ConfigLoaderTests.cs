using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    [Test]
    public void Load_ExampleConfig_IsValid()
    {
        var result = ConfigLoader.Load(RepoPaths.ExampleConfig);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(result.Config!.Options.Cameras[0].Rules.Rules, Has.Count.EqualTo(4));
    }
}
