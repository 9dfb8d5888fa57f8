using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Sensen.Edge.Detection;
using Sensen.Edge.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sensen.Edge.Configuration;

/// <summary>
/// Binds a YAML node tree onto the options records by reflection, so a stage that adds a property to its
/// options gets it parsed, type-checked and range-checked with no further code. Every problem becomes a
/// <see cref="ConfigError"/> with its line, column and key path; binding carries on to find the rest.
/// </summary>
internal sealed partial class ConfigBinder
{
    /// <summary>Upper bound on nodes visited, so aliases cannot expand into a "billion laughs".</summary>
    internal const int MaxNodes = 100_000;

    private readonly string _file;
    private readonly List<ConfigError> _errors;
    private readonly Dictionary<string, Mark> _marks;
    private readonly NullabilityInfoContext _nullability = new();
    private int _nodesVisited;
    private bool _budgetExceeded;

    public ConfigBinder(string file, List<ConfigError> errors, Dictionary<string, Mark> marks)
    {
        _file = file;
        _errors = errors;
        _marks = marks;
    }

    public T? Bind<T>(YamlNode node, string path)
        where T : class, new() => (T?)Bind(node, typeof(T), path);

    private object? Bind(YamlNode node, Type type, string path)
    {
        if (++_nodesVisited > MaxNodes)
        {
            if (!_budgetExceeded)
            {
                _budgetExceeded = true;
                Error(node.Start, path, $"the document expands to more than {MaxNodes} values (alias bomb?); refusing it");
            }

            return null;
        }

        _marks.TryAdd(path, node.Start);
        var underlying = Nullable.GetUnderlyingType(type);
        if (IsNull(node))
        {
            if (underlying is not null || !type.IsValueType)
            {
                return null;
            }

            Error(node.Start, path, $"expected {Describe(type)}, got nothing");
            return null;
        }

        type = underlying ?? type;
        if (type == typeof(string))
        {
            return Scalar(node, path, "a text value");
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            return BindNumber(node, type, path);
        }

        if (type == typeof(bool))
        {
            var text = Scalar(node, path, "true or false");
            if (text is null)
            {
                return null;
            }

            if (text is "true" or "false")
            {
                return text == "true";
            }

            Error(node.Start, path, $"expected true or false, got '{text}'");
            return null;
        }

        if (type.IsEnum)
        {
            return BindEnum(node, type, path);
        }

        if (type == typeof(NormalizedPoint))
        {
            return BindPoint(node, path);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            return BindList(node, type.GetGenericArguments()[0], path);
        }

        if (type.IsClass)
        {
            return BindRecord(node, type, path);
        }

        throw new NotSupportedException($"options type {type} has no YAML binding");
    }

    private object? BindRecord(YamlNode node, Type type, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node.Start, path, $"expected a mapping of keys ({Describe(type)}), got {NodeKind(node)}");
            return null;
        }

        var instance = Create(type);
        var properties = KeysOf(type);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(keyNode.Start, path, "keys must be plain words");
                continue;
            }

            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (!properties.TryGetValue(key, out var slot))
            {
                Error(keyNode.Start, childPath, SecretKeyPattern().IsMatch(key)
                    ? "secrets must not be written in the configuration; put the value in a credential file and name that file with a '*credential' key"
                    : $"unknown key '{key}'{DidYouMean.Suffix(key, properties.Keys)}");
                continue;
            }

            seen.Add(key);
            var property = slot.Property;
            var value = Bind(valueNode, property.PropertyType, childPath);
            if (value is null && !IsNull(valueNode))
            {
                continue; // already reported
            }

            if (value is not null && !CheckRange(property, value, valueNode, childPath))
            {
                continue;
            }

            if (value is null && !property.PropertyType.IsValueType && _nullability.Create(property).WriteState != NullabilityState.Nullable)
            {
                // `key:` with nothing after it: keep the default rather than a null the code never expects.
                if (property.GetCustomAttribute<RequiredAttribute>() is null)
                {
                    Error(valueNode.Start, childPath, "a value is required here (leave the key out for the default)");
                }
                else
                {
                    CheckRequiredValue(property, value, valueNode, childPath);
                }

                continue;
            }

            property.SetValue(slot.Owner(instance), value);
            CheckRequiredValue(property, value, valueNode, childPath);
        }

        foreach (var (key, slot) in properties)
        {
            if (!seen.Contains(key) && slot.Property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                Error(mapping.Start, path.Length == 0 ? key : $"{path}.{key}", "required key is missing");
            }
        }

        return instance;
    }

    /// <summary>A new record with a fresh instance in every <see cref="InlineAttribute"/> property, so binding never writes into a shared default.</summary>
    private static object Create(Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var inline in InlineProperties(type))
        {
            inline.SetValue(instance, Create(inline.PropertyType));
        }

        return instance;
    }

    /// <summary>
    /// The YAML keys of a record: its own writable properties and, through <see cref="InlineAttribute"/>
    /// properties, those of the records it composes.
    /// </summary>
    internal static Dictionary<string, KeySlot> KeysOf(Type type)
    {
        var keys = new Dictionary<string, KeySlot>(StringComparer.Ordinal);
        AddKeys(type, [], keys);
        return keys;
    }

    private static void AddKeys(Type type, IReadOnlyList<PropertyInfo> via, Dictionary<string, KeySlot> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (property.GetCustomAttribute<InlineAttribute>() is not null)
            {
                AddKeys(property.PropertyType, [.. via, property], keys);
                continue;
            }

            var key = SnakeCase.From(property.Name);
            if (!keys.TryAdd(key, new KeySlot(property, via)))
            {
                throw new InvalidOperationException(
                    $"options key '{key}' is declared by both {keys[key].Property.DeclaringType!.Name}.{keys[key].Property.Name} and {type.Name}.{property.Name}");
            }
        }
    }

    private static IEnumerable<PropertyInfo> InlineProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<InlineAttribute>() is not null);

    private void CheckRequiredValue(PropertyInfo property, object? value, YamlNode node, string path)
    {
        if (property.GetCustomAttribute<RequiredAttribute>() is null)
        {
            return;
        }

        var empty = value switch
        {
            null => true,
            string s => string.IsNullOrWhiteSpace(s),
            ICollection c => c.Count == 0,
            _ => false,
        };
        if (empty)
        {
            Error(node.Start, path, "a value is required here");
        }
    }

    private bool CheckRange(PropertyInfo property, object value, YamlNode node, string path)
    {
        if (property.GetCustomAttribute<RangeAttribute>() is not { } range)
        {
            return true;
        }

        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        if (number >= min && number <= max)
        {
            return true;
        }

        Error(node.Start, path, $"{Format(number)} is out of range (allowed {Format(min)} to {Format(max)})");
        return false;
    }

    private object? BindNumber(YamlNode node, Type type, string path)
    {
        var text = Scalar(node, path, Describe(type));
        if (text is null)
        {
            return null;
        }

        var style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        object? parsed = type == typeof(double)
            ? double.TryParse(text, style, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null
            : type == typeof(int)
                ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null
                : long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null;
        if (parsed is null)
        {
            Error(node.Start, path, $"expected {Describe(type)}, got '{text}'");
        }

        return parsed;
    }

    private object? BindEnum(YamlNode node, Type type, string path)
    {
        var names = Enum.GetNames(type).Select(SnakeCase.From).ToArray();
        if (type == typeof(ObjectClass))
        {
            // Only lists take the group (BindList); the message names it all the same.
            names = [.. names, "vehicle"];
        }

        var text = Scalar(node, path, "one of " + string.Join(", ", names));
        if (text is null)
        {
            return null;
        }

        var index = Array.IndexOf(names, text);
        if (index >= 0 && index < Enum.GetValues(type).Length)
        {
            return Enum.GetValues(type).GetValue(index);
        }

        Error(node.Start, path, $"'{text}' is not one of {string.Join(", ", names)}{DidYouMean.Suffix(text, names)}");
        return null;
    }

    private object? BindPoint(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode { Children.Count: 2 } pair)
        {
            Error(node.Start, path, $"expected a point [x, y], got {NodeKind(node)}");
            return null;
        }

        var x = BindNumber(pair.Children[0], typeof(double), path);
        var y = BindNumber(pair.Children[1], typeof(double), path);
        return x is double px && y is double py ? new NormalizedPoint(px, py) : null;
    }

    private object? BindList(YamlNode node, Type elementType, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node.Start, path, $"expected a list, got {NodeKind(node)}");
            return null;
        }

        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            // A list of classes may name the group 'vehicle' (ObjectClasses.Vehicles) in place of its members.
            if (elementType == typeof(ObjectClass) && sequence.Children[i] is YamlScalarNode { Value: "vehicle" })
            {
                foreach (var member in ObjectClasses.Vehicles.Order().Where(c => !list.Contains(c)))
                {
                    list.Add(member);
                }

                continue;
            }

            var item = Bind(sequence.Children[i], elementType, $"{path}[{i}]");
            if (item is null)
            {
                if (IsNull(sequence.Children[i]) && !elementType.IsValueType)
                {
                    Error(sequence.Children[i].Start, $"{path}[{i}]", "an empty list item");
                }

                ok = false;
                continue;
            }

            list.Add(item);
        }

        return ok ? list : null;
    }

    private string? Scalar(YamlNode node, string path, string expected)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }

        Error(node.Start, path, $"expected {expected}, got {NodeKind(node)}");
        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string NodeKind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "something else",
    };

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(double) ? "a number"
            : type == typeof(string) ? "a text value"
            : type == typeof(bool) ? "true or false"
            : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(SnakeCase.From))
            : SnakeCase.From(type.Name.Replace("Options", "", StringComparison.Ordinal)).Replace('_', ' ') + " settings";
    }

    private static string Format(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);

    private void Error(Mark mark, string path, string message) =>
        _errors.Add(new ConfigError(_file, (int)mark.Line, (int)mark.Column, path, message));

    [GeneratedRegex("(^|_)(password|passwd|pass|secret|token|api_key|private_key|psk)($|_)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKeyPattern();
}
