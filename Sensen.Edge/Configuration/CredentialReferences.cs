using System.Collections;

namespace Sensen.Edge.Configuration;

/// <summary>
/// Every credential a bound configuration names, found by the file's own convention (docs/CONFIG.md: keys
/// ending in <c>credential</c> name a file in the credentials directory), so a stage that adds such a key
/// gets it checked by <c>check-config</c> with no further code. Defaults count: the daemon reads them too.
/// A section switched off with <c>enabled: false</c> needs none of its credentials.
/// </summary>
internal static class CredentialReferences
{
    /// <summary>Key path and credential name of each reference in <paramref name="options"/>, in file order.</summary>
    public static IEnumerable<(string Path, string Name)> In(object options) => Walk(options, "");

    private static IEnumerable<(string Path, string Name)> Walk(object record, string prefix)
    {
        var keys = ConfigBinder.KeysOf(record.GetType());
        if (keys.TryGetValue("enabled", out var enabled) && enabled.Property.GetValue(enabled.Owner(record)) is false)
        {
            yield break;
        }

        foreach (var (key, slot) in keys)
        {
            var path = prefix + key;
            var value = slot.Property.GetValue(slot.Owner(record));
            switch (value)
            {
                case string name when key == "credential" || key.EndsWith("_credential", StringComparison.Ordinal):
                    yield return (path, name);
                    break;
                case string or null or ValueType:
                    break;
                case IEnumerable items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is not null && !item.GetType().IsValueType && item is not string)
                        {
                            foreach (var reference in Walk(item, $"{path}[{index}]."))
                            {
                                yield return reference;
                            }
                        }

                        index++;
                    }

                    break;
                default:
                    foreach (var reference in Walk(value, path + "."))
                    {
                        yield return reference;
                    }

                    break;
            }
        }
    }
}
