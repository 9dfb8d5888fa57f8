using System.Reflection;

namespace Sensen.Edge.Configuration;

/// <summary>Where one YAML key of a mapping is stored: a property, reached through the inline records in <paramref name="Via"/>.</summary>
/// <param name="Property">The property the key binds to.</param>
/// <param name="Via">The <see cref="InlineAttribute"/> properties leading from the mapping's record to the property's owner; empty for its own keys.</param>
internal sealed record KeySlot(PropertyInfo Property, IReadOnlyList<PropertyInfo> Via)
{
    /// <summary>The object that holds <see cref="Property"/>, inside <paramref name="record"/>.</summary>
    public object Owner(object record) => Via.Aggregate(record, (owner, inline) => inline.GetValue(owner)!);
}
