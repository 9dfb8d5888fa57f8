using Sensen.Edge.Configuration;

namespace Sensen.Edge.Telemetry;

/// <summary>Checks of <c>telemetry.operators</c>: ids, uniqueness, a key file path (never a key pasted inline).</summary>
internal static class TelemetryOptionsValidator
{
    public static void Validate(ValidationContext context, TelemetryOptions telemetry)
    {
        context.CheckUnique("telemetry.operators", telemetry.Operators.Select(o => o.Id));
        for (var i = 0; i < telemetry.Operators.Count; i++)
        {
            var path = $"telemetry.operators[{i}]";
            var entry = telemetry.Operators[i];
            if (entry.Id.Length == 0)
            {
                context.Error(path + ".id", "is required: the operator's id (the kid of their signed commands)");
            }

            context.CheckIdentifier(path + ".id", entry.Id);
            if (string.IsNullOrWhiteSpace(entry.PublicKey))
            {
                context.Error(path + ".public_key", "is required: the PEM file with the operator's P-256 public key");
            }
            else
            {
                context.CheckNotSecretValue(path + ".public_key", entry.PublicKey);
            }
        }
    }
}
