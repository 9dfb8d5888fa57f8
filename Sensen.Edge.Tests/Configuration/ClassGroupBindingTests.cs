using Sensen.Edge.Configuration;
using Sensen.Edge.Detection;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>A rule's <c>classes</c> may name the group <c>vehicle</c> (ObjectClasses.Vehicles), as <c>crops_of</c> may.</summary>
internal sealed class ClassGroupBindingTests
{
    private static ConfigLoadResult LoadExampleWith(string classes)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-classes-");
        try
        {
            var yaml = File.ReadAllText(RepoPaths.ExampleConfig)
                .Replace("classes: [car, truck, motorcycle]", "classes: " + classes, StringComparison.Ordinal)
                .Replace("models_directory: ../models", "models_directory: " + RepoPaths.Models, StringComparison.Ordinal);
            var path = Path.Combine(dir.FullName, "edge.yaml");
            File.WriteAllText(path, yaml);
            return ConfigLoader.Load(path);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Load_RuleClassesVehicle_EveryRoadVehicle()
    {
        var result = LoadExampleWith("[vehicle]");

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Config!.Options.Cameras[0].Rules.Rules[0].Classes, Is.EqualTo(new[]
        {
            ObjectClass.Car, ObjectClass.Bus, ObjectClass.Truck, ObjectClass.Motorcycle, ObjectClass.Bicycle,
        }));
    }

    [Test]
    public void Load_RuleClassesCarAndVehicle_EachVehicleOnce()
    {
        var result = LoadExampleWith("[car, vehicle]");

        Assert.That(result.Config!.Options.Cameras[0].Rules.Rules[0].Classes, Is.EqualTo(new[]
        {
            ObjectClass.Car, ObjectClass.Bus, ObjectClass.Truck, ObjectClass.Motorcycle, ObjectClass.Bicycle,
        }));
    }

    [Test]
    public void Load_RuleClassUnknown_MessageNamesTheGroup()
    {
        var result = LoadExampleWith("[vehicles]");

        Assert.That(result.Errors.Select(e => $"{e.Line}:{e.Column} {e.Path}: {e.Message}"), Is.EqualTo(new[]
        {
            "45:19 cameras[0].rules[0].classes[0]: 'vehicles' is not one of face, plate, person, car, bus, truck, motorcycle, bicycle, text, vehicle (did you mean 'vehicle'?)",
        }));
    }
}
