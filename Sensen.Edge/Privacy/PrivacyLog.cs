using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Privacy;

/// <summary>The clip path's log messages (source-generated). Event ids 9xxx.</summary>
internal static partial class PrivacyLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "privacy.method is {Method}: reversible by published re-identification attacks (docs/PRIVACY.md); use fill or mosaic unless you have a reason")]
    public static partial void ReversibleMethod(ILogger logger, string method);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Clip of camera {Camera}: frame {Sequence} masked whole ({Reason}: {Detail}); further frames of this clip masked for this reason are counted, not logged")]
    public static partial void FrameMaskedWhole(ILogger logger, string camera, long sequence, string reason, string detail);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Clip path ready: faces by {Faces}, plates by {Plates}, persons by {Persons}, plate reading by {Recognizer}, method {Method}, look-ahead {LookAhead} frames, persistence {Persistence} frames")]
    public static partial void Ready(ILogger logger, string faces, string plates, string persons, string recognizer, string method, int lookAhead, int persistence);
}
