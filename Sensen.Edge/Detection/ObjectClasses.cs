namespace Sensen.Edge.Detection;

/// <summary>Named groups of <see cref="ObjectClass"/> that configuration may use in place of a class.</summary>
internal static class ObjectClasses
{
    /// <summary>Road vehicles (COCO's car, bus, truck, motorcycle, bicycle): the group <c>vehicle</c>.</summary>
    public static readonly IReadOnlySet<ObjectClass> Vehicles = new HashSet<ObjectClass>
    {
        ObjectClass.Car, ObjectClass.Bus, ObjectClass.Truck, ObjectClass.Motorcycle, ObjectClass.Bicycle,
    };

    /// <summary>
    /// The classes a name stands for: a group (<c>vehicle</c>) or one class in snake case (<c>car</c>);
    /// null when it is neither.
    /// </summary>
    public static IReadOnlySet<ObjectClass>? Resolve(string name)
    {
        if (string.Equals(name, "vehicle", StringComparison.OrdinalIgnoreCase))
        {
            return Vehicles;
        }

        return Enum.TryParse<ObjectClass>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var single) && !int.TryParse(name, out _)
            ? new HashSet<ObjectClass> { single }
            : null;
    }
}
