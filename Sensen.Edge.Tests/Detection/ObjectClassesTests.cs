using Sensen.Edge.Detection;

namespace Sensen.Edge.Tests.Detection;

internal sealed class ObjectClassesTests
{
    [Test]
    public void Resolve_Vehicle_IsTheRoadVehicleGroup() =>
        Assert.That(ObjectClasses.Resolve("vehicle"), Is.EquivalentTo(new[] { ObjectClass.Car, ObjectClass.Bus, ObjectClass.Truck, ObjectClass.Motorcycle, ObjectClass.Bicycle }));

    [TestCase("car", ObjectClass.Car)]
    [TestCase("Person", ObjectClass.Person)]
    public void Resolve_ClassName_IsThatClass(string name, ObjectClass expected) =>
        Assert.That(ObjectClasses.Resolve(name), Is.EquivalentTo(new[] { expected }));

    [TestCase("vehicles")]
    [TestCase("3")]
    [TestCase("")]
    public void Resolve_UnknownName_IsNull(string name) => Assert.That(ObjectClasses.Resolve(name), Is.Null);
}
