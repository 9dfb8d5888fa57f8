namespace Sensen.Edge.Rules;

/// <summary>
/// Where a red-light rule learns the signal's phase: a lamp region classified in the image
/// (<see cref="LampSignalClassifier"/>) or a signal controller's feed (<see cref="SignalPhaseFeed"/>, which the
/// MQTT uplink fills from the configured topic).
/// </summary>
internal interface ISignalPhaseSource
{
    /// <summary>The phase at <paramref name="now"/> (a frame's capture time).</summary>
    SignalReading Read(DateTimeOffset now);
}
