namespace Sensen.Edge.Rules;

/// <summary>What a rule measured about an offence (null where it measures nothing of the kind).</summary>
internal readonly record struct ViolationMeasurements(
    double? DwellSeconds = null,
    double? SpeedKmh = null,
    double? SpeedUncertaintyKmh = null,
    SignalPhase? Signal = null,
    double? RedSeconds = null,
    double? WrongWayTravel = null);
