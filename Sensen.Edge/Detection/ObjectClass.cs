namespace Sensen.Edge.Detection;

/// <summary>The project's own classes; model manifests map their labels onto these.</summary>
internal enum ObjectClass
{
    Face,
    Plate,
    Person,
    Car,
    Bus,
    Truck,
    Motorcycle,
    Bicycle,
    Text,
}
