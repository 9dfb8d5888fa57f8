using System.Reflection;
using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>docs/CONFIG.md stays true: every key the binder accepts is documented there.</summary>
public sealed class ConfigDocumentationTests
{
    [Test]
    public void ConfigReference_DocumentsEveryKey()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "CONFIG.md"));

        var missing = Keys(typeof(EdgeOptions), "").Where(k => !doc.Contains($"| `{k.Split('.')[^1]}` |", StringComparison.Ordinal)).ToList();

        Assert.That(missing, Is.Empty, "keys missing from docs/CONFIG.md");
    }

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = prefix + SnakeCase.From(property.Name);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                propertyType = propertyType.GetGenericArguments()[0];
            }

            if (prefix.Length > 0)
            {
                yield return key;
            }

            if (propertyType.IsClass && propertyType != typeof(string))
            {
                foreach (var child in Keys(propertyType, key + "."))
                {
                    yield return child;
                }
            }
        }
    }
}
