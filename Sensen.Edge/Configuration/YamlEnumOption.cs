using System.CommandLine;

namespace Sensen.Edge.Configuration;

/// <summary>
/// A command-line option that takes an enum in the spelling the YAML uses (<c>--hwaccel cuda</c>, as
/// <c>hwaccel: cuda</c>), and lists, accepts and defaults it the same way, rather than System.CommandLine's
/// <c>&lt;Auto|Cuda|…&gt;</c>.
/// </summary>
internal static class YamlEnumOption
{
    public static Option<string> Create<TEnum>(string name, string description, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        var names = Names<TEnum>();
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', names),
            DefaultValueFactory = _ => SnakeCase.From(defaultValue.ToString()),
        };
        option.AcceptOnlyFromAmong(names);
        return option;
    }

    /// <summary>The value of an option made by <see cref="Create"/> (already one of the names).</summary>
    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>()[Array.IndexOf(Names<TEnum>(), name)];

    // Declaration order, as the binder lists them in its messages ("one of auto, none, cuda, vaapi, jetson").
    private static string[] Names<TEnum>()
        where TEnum : struct, Enum => [.. Enum.GetNames<TEnum>().Select(SnakeCase.From)];
}
