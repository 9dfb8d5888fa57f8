namespace Sensen.Edge.Configuration;

/// <summary>Checks of <c>device:</c> that need more than the binder's types and ranges.</summary>
internal static class DeviceOptionsValidator
{
    public static void Validate(ValidationContext context, DeviceOptions device)
    {
        context.CheckIdentifier("device.id", device.Id);
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(device.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            context.Error("device.time_zone", $"unknown time zone '{device.TimeZone}' (use an IANA name such as Australia/Sydney)");
        }
    }
}
